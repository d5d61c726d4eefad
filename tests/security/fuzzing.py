"""What the property-based tests share: one `fuzzed()` settings decorator (examples derandomized,
so CI runs the same cases every time, and nothing written into the checkout) and strategies for
the text hostile input is made of.

`fuzzed(deadline_ms=...)` is the time one example may take: a parser that goes quadratic or
worse on some input fails the test with hypothesis' DeadlineExceeded instead of stalling a pass."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = 200


def fuzzed(max_examples: int = EXAMPLES, deadline_ms: int | None = 500) -> settings:
    """Settings for one property: `max_examples` derandomized examples, each within `deadline_ms`."""
    return settings(
        max_examples=max_examples,
        deadline=None if deadline_ms is None else dt.timedelta(milliseconds=deadline_ms),
        derandomize=True,
        database=None,  # derandomized runs need no example database; none is written into the checkout
        # Module-scoped fixtures (an index, an app) are shared by every example on purpose.
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


# Characters from every script the tracker reads, the punctuation its parsers split on, odd spaces,
# controls, a combining accent, characters beyond the BMP and a lone surrogate (JSON can carry one).
CHARACTERS = (
    "aZéßİı09_-+*:\"'()<>&;/\\.,!?#%@[]{}|~^$= \t\n\r\u00a0\u3000\u200b\ufeff\x00\x7f\udc80"
    "年月日한년월일ก中网のアđ\u0301\U0001f600\U00020000\ud7a3٣०๓"
)
WORDS = ["令和", "ไทย", "พ.ศ.", "ม.ค.", "ngày", "tháng"]
SCRIPTS = st.sampled_from([*CHARACTERS, *WORDS])


def texts(max_size: int = 60) -> st.SearchStrategy[str]:
    """Arbitrary text, half of it drawn from SCRIPTS so that the parsers' special cases come up."""
    return st.one_of(st.text(max_size=max_size), st.lists(SCRIPTS, max_size=max_size).map("".join))


def damage(draw: st.DrawFn, body: bytes, splices: list[bytes], repeat_bytes: int, max_repeats: int) -> bytes:
    """`body` with one to six cuts, splices (from `splices`), byte changes, truncations and
    repeats (of up to `repeat_bytes` bytes, at most `max_repeats` times): a real document damaged."""
    changed = bytearray(body)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(changed)))
        change = draw(st.sampled_from(["cut", "splice", "byte", "truncate", "repeat"]))
        if change == "cut":
            del changed[at : at + draw(st.integers(1, 40))]
        elif change == "splice":
            changed[at:at] = draw(st.sampled_from(splices))
        elif change == "byte" and at < len(changed):
            changed[at] = draw(st.integers(0, 255))
        elif change == "truncate":
            del changed[at:]
        elif change == "repeat":
            changed[at:at] = bytes(changed[at : at + repeat_bytes]) * draw(st.integers(2, max_repeats))
    return bytes(changed)
