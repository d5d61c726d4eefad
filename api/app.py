"""The FastAPI app: the API under /api, the Atom feeds under /feeds, the web page, the
unsubscribe links of the alerts, /health, /metrics (api/routes/metrics.py); who may do what
(api/access.py); headers, rate limits, CSRF and secrets kept out of the access log
(api/protection.py); errors a person can act on (api/errors.py); request ids
(api/request_ids.py) and the HTTP metrics (api/http_metrics.py)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles

from api import errors
from api.access import require
from api.http_metrics import HttpMetrics
from api.pages import briefings, login
from api.pages import comparison as comparison_page
from api.pages import items as item_page
from api.pages import search as search_page
from api.pages import sources as source_page
from api.pages import subscriptions as subscription_page
from api.pages import trends as trends_page
from api.pages import unsubscribe as unsubscribe_page
from api.pages.rendering import STATIC_DIR, templates
from api.protection import RATE_LIMITED_PATHS, HideUrlSecrets, RateLimits, add_security_headers
from api.request_ids import RequestIds
from api.routes import briefings as briefing_routes
from api.routes import calendar, exports, feeds, figures, items, search, sources, stakeholders, subscriptions, users
from api.routes import metrics as metrics_route
from api.routes import settings as settings_route
from api.schemas.common import Health
from radar.settings import Settings


def create_app(settings: Settings | None = None, *, public: bool = False) -> FastAPI:
    """The app for `settings`. `public`: served beyond loopback, so every request needs an
    account (without accounts nobody gets in), never the local single-user mode."""
    settings = settings or Settings.from_env()
    opened: dict[str, Any] = {}
    opening = threading.Lock()  # requests run in a thread pool: two first requests open one engine

    def lazily(name: str, opener: Callable[[], Any]) -> Callable[[], Any]:
        """Open a thing on first use (never at import or start) and keep it for the app's life."""

        def get() -> Any:
            if name not in opened:
                with opening:
                    if name not in opened:
                        opened[name] = opener()
            return opened[name]

        return get

    def open_engine() -> Any:
        from radar.engines import open_search_engine

        return open_search_engine(settings)

    def open_store() -> Any:
        from radar.engines import open_store

        return open_store(settings)

    def load_vocabulary() -> Any:
        from api.vocabulary import Vocabulary

        return Vocabulary.load()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The server's access log would show unsubscribe keys and feed tokens from the URLs.
        access_log, hide_secrets = logging.getLogger("uvicorn.access"), HideUrlSecrets()
        access_log.addFilter(hide_secrets)
        try:
            yield
        finally:
            access_log.removeFilter(hide_secrets)
            for each in opened.values():
                if hasattr(each, "close"):
                    each.close()

    app = FastAPI(
        title="policy-radar",
        description="What Asia-Pacific regulators, parliaments, NGOs and the press do about online harms. "
        "Send `Authorization: Bearer <token>` when the tracker has accounts.",
        lifespan=lifespan,
    )
    app.state.settings, app.state.public = settings, public
    app.state.engine = lazily("engine", open_engine)
    app.state.store = lazily("store", open_store)
    app.state.vocabulary = lazily("vocabulary", load_vocabulary)
    app.state.templates = templates()
    app.state.rate_limits = RateLimits(settings.api_rate_limit, settings.login_rate_limit)

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Any:
        started = time.perf_counter()
        if request.url.path.startswith(RATE_LIMITED_PATHS) and not app.state.rate_limits.allow_api(request):
            response = errors.problem(
                request,
                429,
                f"Too many requests (the limit is {app.state.rate_limits.api_text} per client): slow down.",
                {"Retry-After": "60"},
            )
        else:
            response = await call_next(request)
        add_security_headers(request, response)
        # How long the server took, for the benches and a browser's network panel.
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    # Added last, so they run first: every answer is counted and timed, and the request id is set
    # before anything else logs for the request.
    app.add_middleware(HttpMetrics)
    app.add_middleware(RequestIds)

    readers = [Depends(require("viewer"))]
    for router in (search.router, items.router, sources.router, stakeholders.router, exports.router, feeds.router):
        app.include_router(router, dependencies=readers)
    app.include_router(calendar.router, dependencies=readers)  # /calendar.ics, ?token= as the feeds take it
    app.include_router(figures.router, dependencies=readers)  # /api/figures: the trends page's figures
    app.include_router(briefing_routes.router, dependencies=readers)  # /api/briefing: the briefing pack
    app.include_router(subscriptions.router)  # editors: the routes say so
    app.include_router(users.router)  # /api/me for anyone; admins for the rest
    app.include_router(settings_route.router)  # admins
    app.include_router(metrics_route.router)  # /metrics: admins
    for page in (search_page, item_page, source_page, subscription_page, briefings, login):
        app.include_router(page.router)
    app.include_router(trends_page.router)  # viewers: the page asks for them
    app.include_router(comparison_page.router)  # /compare: viewers, as the page asks
    app.include_router(unsubscribe_page.router)  # no login: the key in the link is the credential
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/health", response_model=Health, tags=["health"])
    def health() -> Health:
        return Health(status="ok")

    errors.install(app)
    return app
