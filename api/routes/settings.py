"""GET /api/settings (admins): what this tracker runs on, with any password in a URL hidden."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from api.access import Admin, accounts
from api.schemas.common import Problem

router = APIRouter(prefix="/api", tags=["settings"], responses={401: {"model": Problem}, 403: {"model": Problem}})


class SettingsOut(BaseModel):
    data_dir: str
    store: str = Field(description="The store's database, its password hidden")
    index: str = Field(description="tantivy (embedded) or the Elasticsearch URL, its password hidden")
    sources_file: str | None = Field(description="null: the shipped registry")
    api_rate_limit: str
    login_rate_limit: str
    public: bool = Field(description="served beyond loopback: every request needs an account")
    accounts: int


# Query parameters that carry a credential: libpq reads ?password= (and ?sslpassword=) as well as user:password@.
_SECRET_PARAMETER = re.compile(r"(?i)((?:^|&)[^=&]*(?:password|passwd|secret|token|api_?key)[^=&]*=)[^&]*")


def hidden_password(url: str) -> str:
    """A URL with any password, in its user:password@ or in its query, replaced by ***."""
    parts = urlsplit(url)
    hidden = url
    if parts.password is not None:
        hidden = urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)))
    query = _SECRET_PARAMETER.sub(r"\1***", parts.query)
    # As a string: urlunsplit would turn postgresql:///db (no host: a local socket) into postgresql:/db.
    return hidden.replace(f"?{parts.query}", f"?{query}", 1) if query != parts.query else hidden


@router.get("/settings", response_model=SettingsOut)
def settings(request: Request, _admin: Admin) -> SettingsOut:
    current = request.app.state.settings
    return SettingsOut(
        data_dir=str(current.data_dir),
        store=hidden_password(current.database_url) if current.database_url else "SQLite in the data directory",
        index=hidden_password(current.elasticsearch_url)
        if current.elasticsearch_url
        else "tantivy in the data directory",
        sources_file=str(current.sources_file) if current.sources_file else None,
        api_rate_limit=current.api_rate_limit,
        login_rate_limit=current.login_rate_limit,
        public=request.app.state.public,
        accounts=accounts(request).count(),
    )
