"""Derived data cached on disk as pickles (the full lexicon, the recogniser's tables):
written atomically, read with the garbage collector paused, and never fatal — an unreadable
or unwritable cache only costs a rebuild, with a warning that names the file."""

from __future__ import annotations

import gc
import logging
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["read_pickle_cache", "write_pickle_cache"]

_log = logging.getLogger(__name__)

T = TypeVar("T")

#: What an unpickled payload of the wrong shape or an old version may raise.
_UNREADABLE = (
    OSError,
    pickle.UnpicklingError,
    EOFError,
    AttributeError,
    ImportError,
    KeyError,
    TypeError,
    ValueError,
)


def read_pickle_cache(path: Path, what: str, convert: Callable[[Any], T | None]) -> T | None:
    """``convert`` of the object pickled at ``path``, or None when the file is missing,
    unreadable or ``convert`` rejects it (returns None): then the caller rebuilds.

    The collector is paused meanwhile: these payloads are ~10^6 small objects, and its
    passes over them would only slow loading down; afterwards they are frozen
    (:func:`gc.freeze`), so that no later collection walks them."""
    if not path.is_file():
        return None
    collecting = gc.isenabled()
    gc.disable()
    try:
        with path.open("rb") as stream:
            found = convert(pickle.load(stream))
    except _UNREADABLE as error:
        _log.warning("%s cache %s unreadable (%s); rebuilding", what, path, error)
        return None
    finally:
        # these payloads live as long as the process: out of the collector's generations,
        # later collections (a request's garbage) never walk their million objects
        gc.freeze()
        if collecting:
            gc.enable()
    if found is None:
        _log.warning("%s cache %s does not match what is needed; rebuilding", what, path)
    return found


def write_pickle_cache(path: Path, payload: Any, what: str) -> bool:
    """Pickle ``payload`` to ``path`` atomically (temporary file, then rename); on failure
    warn and return False (it only costs the next start a rebuild)."""
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(descriptor, "wb") as stream:
            pickle.dump(payload, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError as error:
        _log.warning("could not write %s cache %s: %s", what, path, error)
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        return False
    return True
