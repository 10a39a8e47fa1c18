"""Reference data for cargo analysis, prepared in the background on first use.

The first analysis on a new cache directory builds miRTarBase, GO and pathway indexes,
which takes about half a minute (more on a busy machine); later ones load them in seconds.
So that no request hangs for that long, preparation runs in a thread of its own: a request
waits up to ``wait_seconds`` for it and otherwise gets a 503 with ``Retry-After``, and
``GET /api/analysis/status`` says, per species, whether the data is ready.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from evkg.web.errors import ProblemError

__all__ = ["PreparationStatus", "Preparations"]

_log = logging.getLogger(__name__)


@dataclass
class _Preparation:
    started: float
    done: threading.Event = field(default_factory=threading.Event)
    finished: float | None = None
    resources: Any = None
    error: BaseException | None = None


@dataclass(frozen=True)
class PreparationStatus:
    """Where the reference data of one species stands."""

    species: str
    state: str  # "preparing", "ready" or "failed"
    seconds: float  # since preparation started, or how long it took
    message: str | None = None


class Preparations:
    """Reference resources per species, each loaded once by a background thread."""

    def __init__(self, load: Callable[[str], Any], wait_seconds: float = 15.0) -> None:
        self._load = load
        self._wait = wait_seconds
        self._lock = threading.Lock()
        self._by_species: dict[str, _Preparation] = {}

    def _start(self, species: str) -> _Preparation:
        with self._lock:
            preparation = self._by_species.get(species)
            if preparation is None or preparation.error is not None:  # a failure is retried
                preparation = _Preparation(time.monotonic())
                self._by_species[species] = preparation
                threading.Thread(
                    target=self._run,
                    args=(species, preparation),
                    name=f"evkg-prepare-{species}",
                    daemon=True,
                ).start()
            return preparation

    def _run(self, species: str, preparation: _Preparation) -> None:
        try:
            preparation.resources = self._load(species)
        except BaseException as error:  # handed to the requests that wait for it
            _log.warning("preparing reference data for %s failed: %s", species, error)
            preparation.error = error
        finally:
            preparation.finished = time.monotonic()
            preparation.done.set()

    def resources(self, species: str) -> Any:
        """The resources of ``species``, or a 503 (with Retry-After) if they are not ready
        within the wait; the error of a failed preparation is raised to its requests."""
        preparation = self._start(species)
        if not preparation.done.wait(self._wait):
            waited = time.monotonic() - preparation.started
            raise ProblemError(
                503,
                f"reference data for {species} is being prepared ({waited:.0f} s so far; the "
                "first analysis on a new server takes about a minute). Send the file again "
                "shortly; GET /api/analysis/status says when it is ready",
                headers={"Retry-After": "15"},
            )
        if preparation.error is not None:
            raise preparation.error
        return preparation.resources

    def status(self) -> list[PreparationStatus]:
        now = time.monotonic()
        with self._lock:
            items = sorted(self._by_species.items())
        statuses = []
        for species, preparation in items:
            end = preparation.finished if preparation.finished is not None else now
            if not preparation.done.is_set():
                state, message = "preparing", None
            elif preparation.error is not None:
                state, message = "failed", str(preparation.error)
            else:
                state, message = "ready", None
            statuses.append(
                PreparationStatus(species, state, round(end - preparation.started, 1), message)
            )
        return statuses
