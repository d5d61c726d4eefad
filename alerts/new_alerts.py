"""From matches to alerts: one per (subscription, story), and another only when the story's
item changed materially since (alerts/changes.py). A syndicated copy of a story already
alerted (another item of the same story) alerts nobody again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from alerts.cadence import due_at
from alerts.changes import material_changes, snapshot
from alerts.matching import Match
from index.store.alert_log import LastAlert, NewAlert


def alerts_for(
    matches: Iterable[Match],
    last: dict[tuple[int, str], LastAlert],
    now: dt.datetime,
    alerted_text: Callable[[str, int], str | None],
) -> list[NewAlert]:
    """The alerts these matches make, given each (subscription, story)'s latest alert;
    `alerted_text(item_id, version)` reads the title and text an earlier alert was made on."""
    snapshots: dict[str, dict[str, Any]] = {}  # one per item, however many subscriptions it matched
    by_story: dict[tuple[int, str], list[Match]] = {}
    for match in matches:
        by_story.setdefault((match.subscription.id, match.item.story_id), []).append(match)
    made = []
    for key, found in by_story.items():
        previous = last.get(key)
        if previous is None:
            # The story's first item when the batch has it (its id is the story's), else the first found.
            match = next((m for m in found if m.item.id == m.item.story_id), found[0])
            kind, revision, changes = "new", 0, tuple[str, ...]()
        else:
            # Only the item alerted before can alert again, and only with a material change.
            again = [m for m in found if m.item.id == previous.item_id and m.item.version != previous.item_version]
            if not again:
                continue  # a copy of a story already alerted, or the same version again
            match = again[0]
            alerted = alerted_text(match.item.id, previous.item_version) if previous.item_version else None
            changes = material_changes(previous.snapshot, alerted, match.item)
            if not changes:
                continue
            kind, revision = "changed", previous.revision + 1
        subscription = match.subscription
        made.append(
            NewAlert(
                subscription_id=subscription.id,
                story_id=match.item.story_id,
                revision=revision,
                kind=kind,
                item_id=match.item.id,
                item_version=match.item.version,
                reasons={"terms": list(match.terms), "tags": {name: list(v) for name, v in match.tags.items()}},
                changes=changes,
                snapshot=snapshots.get(match.item.id) or snapshots.setdefault(match.item.id, snapshot(match.item)),
                channels=subscription.channels,
                due_at=due_at(subscription, now),
            )
        )
    return made
