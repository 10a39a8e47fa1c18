"""The FastAPI application: REST API under ``/api`` and the web explorer, one app."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from evkg import __version__
from evkg.api import Knowledge
from evkg.api.labels import Labels
from evkg.web.deps import Limits, WebContext
from evkg.web.errors import install_error_handlers
from evkg.web.evidence_groups import group_by_quote
from evkg.web.openapi import describe_errors

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from evkg.settings import Settings
    from evkg.store import SqlStore
    from evkg.vocab import Vocabulary

__all__ = ["create_app"]

_DESCRIPTION = """Evidence for therapeutic MSC extracellular vesicles: strategies ranked for a
disease, mechanism chains, claims with the quotes and citations behind them, and exports.

Read-only unless the server was started with a token; write endpoints then need
`Authorization: Bearer <token>`."""

_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class _Guard:
    """Caching and security headers on every response, and the request-body limit (a plain
    ASGI middleware, so that streamed answers stay streamed)."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def _too_large(self, send: Send) -> None:
        body = (
            b'{"detail":"the request body is larger than this server accepts ('
            + str(self.max_body).encode()
            + b' bytes)","suggestions":[]}'
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        method: str = scope["method"]
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.max_body + 1
                if declared > self.max_body:
                    await self._too_large(send)
                    return
        received = 0
        started = False
        overflow = False

        async def counting_receive() -> Message:
            nonlocal received, overflow
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:  # a chunked body without a declared length
                    overflow = True
                    return {"type": "http.disconnect"}
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if overflow:
                return  # the answer is the 413 sent once the app gives up
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                status = message["status"]
                if b"cache-control" not in names:
                    if path.startswith("/static/"):
                        policy = b"public, max-age=86400"
                    elif method in {"GET", "HEAD"} and status == 200:
                        policy = b"public, max-age=60"
                    else:
                        policy = b"no-store"
                    headers.append((b"cache-control", policy))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ]
                if b"content-security-policy" not in names:  # the report sets its own
                    headers.append((b"content-security-policy", _CSP.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, counting_receive, send_with_headers)
        if overflow and not started:
            await self._too_large(send)


def _package_dir(name: str) -> Path:
    return Path(str(resources.files("evkg.web") / name))


def _swagger_ui_dir() -> str:
    return str(resources.files("fastapi_offline") / "static")


def create_app(
    *,
    store: SqlStore,
    settings: Settings | None = None,
    vocabulary: Vocabulary | None = None,
    token: str | None = None,
    limits: Limits | None = None,
) -> FastAPI:
    """The REST API and the web explorer over ``store``.

    ``vocabulary`` defaults to the one ``settings`` describe (the compact lexicon shipped
    with evkg when no reference data directory is configured). Without ``token`` every
    write endpoint answers 403; with one, writes need it as a bearer token (else 401).
    """
    from evkg.web.routers import ALL_ROUTERS

    if vocabulary is None:
        from evkg.vocab import load_vocabulary

        vocabulary = load_vocabulary(
            settings.data_dir if settings else None, settings.cache_dir if settings else None
        )
    knowledge = Knowledge(store, vocabulary)
    app = FastAPI(
        title="evkg",
        version=__version__,
        description=_DESCRIPTION,
        docs_url=None,  # FastAPI's page loads Swagger UI from a CDN; /docs serves it locally
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    templates = Jinja2Templates(directory=str(_package_dir("templates")))
    templates.env.globals["version"] = __version__
    templates.env.globals["quote_groups"] = group_by_quote
    templates.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    app.state.evkg = WebContext(
        knowledge=knowledge,
        labels=Labels(knowledge),
        settings=settings,
        token=token or None,
        limits=limits or Limits(),
        templates=templates,
        extras={"analysis": True},
    )
    install_error_handlers(app)
    describe_errors(app)
    app.mount("/static", StaticFiles(directory=str(_package_dir("static"))), name="static")
    # Swagger UI 5 (OpenAPI 3.1) as the fastapi-offline package ships it; only its files
    app.mount("/docs/assets", StaticFiles(directory=_swagger_ui_dir()), name="swagger-ui")
    for router in ALL_ROUTERS:
        app.include_router(router)
    app.add_middleware(_Guard, max_body=app.state.evkg.limits.max_upload_bytes + 65_536)
    return app
