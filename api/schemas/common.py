"""What every part of the API shares on the wire: errors, health, and dates as YYYY-MM-DD.

Wire schemas live in this package, one module per resource, separate from the store's rows and
the engines' records (`index/records.py`)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


def day(moment: dt.datetime | None) -> str | None:
    """YYYY-MM-DD, as published dates go on the wire."""
    return moment.date().isoformat() if moment else None


class Problem(BaseModel):
    """Every error: a message a person can act on."""

    error: str


class Health(BaseModel):
    status: str
