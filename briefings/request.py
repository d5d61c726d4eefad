"""What a briefing is asked for (countries, harm areas, a stakeholder, a window of days), what the
tracker knows to check it against, and the check: an unknown value is refused with the names
closest to it, so a person can correct the request at once."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from briefings.stakeholders import StakeholderDirectory
from crawlers.registry import Source

MIN_DAYS, MAX_DAYS, DEFAULT_DAYS = 1, 366, 30


@dataclass(frozen=True)
class BriefingRequest:
    """A briefing's scope. Empty countries or harm areas mean all of them; `stakeholder` is a
    canonical name once checked (an alias is accepted and replaced)."""

    countries: tuple[str, ...] = ()
    harm_areas: tuple[str, ...] = ()
    stakeholder: str | None = None
    days: int = DEFAULT_DAYS


@dataclass(frozen=True)
class References:
    """What a briefing is written with besides the items: the names people read for harm areas
    and jurisdictions (their ids are the taxonomy's and the gazetteer's), the source registry
    (which source belongs to which body) and the stakeholder directory."""

    harm_labels: Mapping[str, str]  # harm area id -> its name
    jurisdictions: Mapping[str, str]  # code -> name
    sources: Sequence[Source]
    stakeholders: StakeholderDirectory

    def harm_label(self, harm_area: str) -> str:
        return self.harm_labels.get(harm_area, harm_area)

    def source_names(self) -> dict[str, str]:
        """Source id -> the registry's name for it."""
        return {source.id: source.name for source in self.sources}


class BriefingRequestError(ValueError):
    """A request that cannot be briefed, saying what to change (and the close names)."""


def check_request(request: BriefingRequest, references: References) -> BriefingRequest:
    """The request with its values normalised (country codes upper case, harm ids as the
    taxonomy writes them, the stakeholder's canonical name); raises BriefingRequestError for
    days out of range, an unknown country, harm area or stakeholder, or an alias several
    stakeholders share."""
    if not MIN_DAYS <= request.days <= MAX_DAYS:
        raise BriefingRequestError(f"days must be between {MIN_DAYS} and {MAX_DAYS}, not {request.days}.")
    countries = tuple(dict.fromkeys(_country(value, references.jurisdictions) for value in request.countries))
    harm_areas = tuple(dict.fromkeys(_harm_area(value, references.harm_labels) for value in request.harm_areas))
    stakeholder = _stakeholder(request.stakeholder, references.stakeholders) if request.stakeholder else None
    return BriefingRequest(countries=countries, harm_areas=harm_areas, stakeholder=stakeholder, days=request.days)


def split_values(values: Iterable[str]) -> tuple[str, ...]:
    """Repeated values, each of which may also be a comma-separated list ("AU, SG")."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _country(value: str, known: Mapping[str, str]) -> str:
    code = value.strip().upper()
    if code in known:
        return code
    by_name = {name.casefold(): each for each, name in known.items()}
    if value.strip().casefold() in by_name:
        named = by_name[value.strip().casefold()]
        raise BriefingRequestError(f"Unknown country {_shown(value)}: countries are codes; did you mean {named}?")
    close = difflib.get_close_matches(value.strip().casefold(), list(by_name), n=3, cutoff=0.75)
    hints = [f"{by_name[name]} ({known[by_name[name]]})" for name in close]
    hints += [f"{each} ({known[each]})" for each in difflib.get_close_matches(code, list(known), n=3, cutoff=0.5)]
    raise BriefingRequestError(f"Unknown country {_shown(value)}{_did_you_mean(hints)}")


def _harm_area(value: str, labels: Mapping[str, str]) -> str:
    # "child safety", "Child-Safety" and "child_safety" all name the same id.
    harm = re.sub(r"[\s\-]+", "_", value.strip().casefold())
    if harm in labels:
        return harm
    by_label = {label.casefold(): each for each, label in labels.items()}
    if value.strip().casefold() in by_label:
        return by_label[value.strip().casefold()]
    close = [each for each in labels if harm and (harm in each or each in harm)]
    close += difflib.get_close_matches(harm, list(labels), n=3, cutoff=0.6)
    close += [by_label[label] for label in difflib.get_close_matches(value.strip().casefold(), list(by_label), n=3)]
    hints = list(dict.fromkeys(close))[:4] or list(labels)
    raise BriefingRequestError(f"Unknown harm area {_shown(value)}{_did_you_mean(hints)}")


def _stakeholder(value: str, lookup: StakeholderDirectory) -> str:
    found = lookup.named(value)
    if found:
        return found[0].name
    needle = value.strip().casefold()
    names_by_form: dict[str, set[str]] = {}
    for entity in lookup.entries:
        for form in entity.surface_forms:
            names_by_form.setdefault(form.casefold(), set()).add(entity.name)
    shared = names_by_form.get(needle, set())
    if len(shared) > 1:
        raise BriefingRequestError(
            f"{_shown(value)} names several stakeholders: {', '.join(sorted(shared))}; give the full name."
        )
    close = sorted({name for form, names in names_by_form.items() if needle and needle in form for name in names})
    for form in difflib.get_close_matches(needle, list(names_by_form), n=5, cutoff=0.75):
        close += sorted(names_by_form[form])
    hints = list(dict.fromkeys(close))[:5]
    raise BriefingRequestError(f"No stakeholder named {_shown(value)}{_did_you_mean(hints)}")


def _shown(value: str) -> str:
    """A value as an error message quotes it: at most 60 characters."""
    return repr(value if len(value) <= 60 else value[:59] + "…")


def _did_you_mean(hints: Sequence[str]) -> str:
    return f": did you mean {', '.join(dict.fromkeys(hints))}?" if hints else "."
