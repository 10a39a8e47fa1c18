"""Labels of identifiers and citations of references, looked up once and kept (entities and
references are only ever added to a store, never relabelled), so that a page of claims does
not cost one query per identifier."""

from __future__ import annotations

import threading

from evkg.api.service import Knowledge
from evkg.model import Reference

__all__ = ["Labels"]

_MAX_CACHED = 200_000


class Labels:
    """Labels of identifiers and citations of references, cached for the process."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self._labels: dict[str, tuple[str, str]] = {}
        self._references: dict[str, Reference | None] = {}
        self._kinds: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def _entity(self, curie: str) -> tuple[str, str]:
        found = self._labels.get(curie)
        if found is None:
            entity = self.knowledge.store.entity(curie)
            if entity is not None:
                found = (entity.label, entity.kind.value)
            else:
                entry = self.knowledge.vocabulary.lexicon.get(curie)
                found = (entry.label, entry.kind.value) if entry else (curie, "unknown")
            with self._lock:
                if len(self._labels) > _MAX_CACHED:
                    self._labels.clear()
                self._labels[curie] = found
        return found

    def label(self, curie: str | None) -> str:
        """Display name of an identifier (the identifier itself when nothing knows it)."""
        return self._entity(curie)[0] if curie else ""

    def kind(self, curie: str) -> str:
        """Entity kind of an identifier, or ``unknown``."""
        return self._entity(curie)[1]

    def reference(self, curie: str) -> Reference | None:
        """The stored reference of ``curie`` (``None`` when none is stored), kept."""
        if curie in self._references:
            return self._references[curie]
        found = self.knowledge.store.reference(curie)
        with self._lock:
            if len(self._references) > _MAX_CACHED:
                self._references.clear()
            self._references[curie] = found
        return found

    def citation(self, curie: str) -> str:
        """One-line citation of a reference (the identifier when none is stored)."""
        reference = self.reference(curie)
        return reference.citation() if reference else curie

    def ids(self, kind: str) -> tuple[str, ...]:
        """Identifiers of every stored entity of ``kind`` (e.g. the routes to filter by)."""
        found = self._kinds.get(kind)
        if found is None:
            found = tuple(e.id for e in self.knowledge.store.entities(kind))
            with self._lock:
                self._kinds[kind] = found
        return found

    def clear(self) -> None:
        """Forget everything (after a write that may add entities or references)."""
        with self._lock:
            self._labels.clear()
            self._references.clear()
            self._kinds.clear()
