"""The FastAPI app: the API under /api, /health, and errors as JSON a person can act on (a bad
query is a 400, never a 500)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from api.routes import items, search
from api.schemas.common import Health
from index.protocols import SearchEngine, Store
from index.records import IndexOutdatedError, QueryError
from radar.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    opened: dict[str, Any] = {}

    def engine() -> SearchEngine:
        """The search engine, opened on first use and kept for the app's life."""
        if "engine" not in opened:
            from radar.engines import open_search_engine

            opened["engine"] = open_search_engine(settings)
        return opened["engine"]

    def store() -> Store:
        """The store of record, opened on first use and kept for the app's life."""
        if "store" not in opened:
            from radar.engines import open_store

            opened["store"] = open_store(settings)
        return opened["store"]

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        for each in opened.values():
            each.close()

    app = FastAPI(
        title="policy-radar",
        description="What Asia-Pacific regulators, parliaments, NGOs and the press do about online harms.",
        lifespan=lifespan,
    )
    app.state.settings, app.state.engine, app.state.store = settings, engine, store

    @app.middleware("http")
    async def server_timing(request: Request, call_next: Any) -> Any:
        # How long the server took, for the benches and a browser's network panel.
        started = time.perf_counter()
        response = await call_next(request)
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    app.include_router(search.router)
    app.include_router(items.router)

    @app.get("/health", response_model=Health, tags=["health"])
    def health() -> Health:
        return Health(status="ok")

    @app.exception_handler(QueryError)
    async def bad_query(_request: Request, error: QueryError) -> JSONResponse:
        return JSONResponse({"error": str(error)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc'][1:]) or 'request'}: {problem['msg']}"
            for problem in error.errors()
        )
        return JSONResponse({"error": f"bad parameter(s): {problems}"}, status_code=400)

    @app.exception_handler(HTTPException)
    async def http_problem(_request: Request, error: HTTPException) -> JSONResponse:
        return JSONResponse({"error": str(error.detail)}, status_code=error.status_code)

    @app.exception_handler(IndexOutdatedError)
    async def outdated(_request: Request, error: IndexOutdatedError) -> JSONResponse:
        return JSONResponse({"error": str(error)}, status_code=503)

    return app
