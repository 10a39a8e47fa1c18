"""What routes receive through ``Depends``: the services of the running app and the writer
check. Nothing here is a module-level singleton: each app created by ``create_app`` holds
its own :class:`WebContext`, so tests can build apps over any store."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from evkg.api import Knowledge
from evkg.api.diseases import COUNT_CAP
from evkg.api.labels import Labels
from evkg.settings import Settings

__all__ = [
    "Context",
    "Limits",
    "WebContext",
    "Writer",
    "get_context",
    "require_writer",
]


@dataclass(frozen=True)
class Limits:
    """Bounds on what one request may ask for or send."""

    max_upload_bytes: int = 2_000_000
    max_upload_rows: int = 20_000
    max_page: int = 500
    #: Claim counts stop here and are shown as lower bounds ("10,000+"): exact counts of
    #: a large match scan every matching row.
    count_cap: int = COUNT_CAP
    #: Deepest offset a listing serves: an offset walks the ordered index from the start,
    #: so deeper pages cost more and more; past it a request gets a 400 asking to narrow.
    max_offset: int = COUNT_CAP
    #: How long an analysis waits for reference data being prepared before answering 503
    #: (with Retry-After; the preparation goes on, see GET /api/analysis/status).
    analysis_wait_seconds: float = 15.0


@dataclass
class WebContext:
    """The services one app serves."""

    knowledge: Knowledge
    labels: Labels
    settings: Settings | None
    token: str | None
    limits: Limits
    templates: Any  # starlette Jinja2Templates
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def read_only(self) -> bool:
        return self.token is None


def get_context(request: Request) -> WebContext:
    context: WebContext = request.app.state.evkg
    return context


Context = Annotated[WebContext, Depends(get_context)]

_bearer = HTTPBearer(auto_error=False, description="The token given to `evkg serve --token`")


def require_writer(
    context: Context,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Writes need a configured token (else 403) presented as a bearer token (else 401)."""
    if context.token is None:
        raise HTTPException(
            status_code=403,
            detail="this server is read-only: start it with `evkg serve --token …` to allow writes",
        )
    presented = credentials.credentials if credentials else ""
    if not presented or not secrets.compare_digest(presented.encode(), context.token.encode()):
        raise HTTPException(
            status_code=401,
            detail="a valid bearer token is needed: send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )


Writer = Annotated[None, Depends(require_writer)]
