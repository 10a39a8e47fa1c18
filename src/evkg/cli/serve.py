"""``evkg serve``: the REST API and the web explorer over the configured store."""

from __future__ import annotations

import ipaddress

import click

from evkg.cli._state import CliState, command_with_errors, pass_state

__all__ = ["is_loopback", "register"]


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--token",
    envvar="EVKG_API_TOKEN",
    default=None,
    help="Allow write endpoints (review, add curated claims) for requests presenting this "
    "bearer token [env EVKG_API_TOKEN]. Without it the server is read-only.",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Listen on a non-loopback address (reachable from other machines).",
)
@pass_state
@command_with_errors
def serve(state: CliState, host: str, port: int, token: str | None, allow_remote: bool) -> None:
    """Serve the web explorer and the REST API (OpenAPI at /openapi.json).

    Uses the store of --database-url (loading the curated knowledge on first use) and the
    vocabularies of --data-dir. Read-only unless --token is given.
    """
    if not is_loopback(host) and not allow_remote:
        raise click.UsageError(
            f"--host {host} is reachable from other machines; add --allow-remote to mean it "
            "(and put the server behind TLS when writes are enabled)"
        )
    if token is not None and len(token) < 16:
        raise click.UsageError("--token must be at least 16 characters long")
    import uvicorn

    from evkg.web import create_app

    knowledge = state.knowledge()
    app = create_app(
        store=knowledge.store,
        settings=state.settings(),
        vocabulary=knowledge.vocabulary,
        token=token,
    )
    mode = "read-write (bearer token)" if token else "read-only"
    state.info(f"evkg: serving http://{host}:{port}/ ({mode}); Ctrl-C stops")
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


def register(group: click.Group) -> None:
    """Add this module's commands to the ``evkg`` group."""
    group.add_command(serve)
