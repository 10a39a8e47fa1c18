"""Claims read for an export batch by batch: each batch's labels and references are looked
up in one query each, so an export holds one batch in memory and makes a few queries per
thousand claims instead of one per label."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["ClaimStream"]


class _Streamed(Protocol):
    @property
    def ends(self) -> tuple[str, str]: ...

    @property
    def references(self) -> tuple[str, ...]: ...


T = TypeVar("T", bound=_Streamed)


class ClaimStream(Generic[T]):
    """An iterable of claims whose :meth:`label` and :meth:`reference` answer for the batch
    being read.

    ``batches`` yields lists of claims: :class:`~evkg.store.StoredClaim` (e.g.
    :meth:`evkg.store.SqlStore.claim_batches`) or :class:`~evkg.store.ClaimRow`
    (:meth:`~evkg.store.SqlStore.claim_row_batches`); ``labels_of`` and ``references_of``
    look up many identifiers at once (``labels_of`` may be ``None`` for a format that
    writes no labels of the claims' ends; ``references_of`` answers with whatever record the
    writer reads: references, or their publication ids); ``fallback_label``
    names an identifier that is no stored entity (the vocabulary's label, or the identifier).
    ``on_batch`` is told how many claims each batch held once it has been consumed (a
    progress bar). The lookups cover the claims of the current batch only: call
    :meth:`label` and :meth:`reference` while writing a claim, as the writers do.
    """

    def __init__(
        self,
        batches: Iterable[list[T]],
        labels_of: Callable[[Collection[str]], Mapping[str, str]] | None,
        fallback_label: Callable[[str], str],
        *,
        references_of: Callable[[Collection[str]], Mapping[str, Any]] | None = None,
        on_batch: Callable[[int], None] | None = None,
    ) -> None:
        self._batches = batches
        self._labels_of = labels_of
        self._fallback_label = fallback_label
        self._references_of = references_of
        self._on_batch = on_batch
        self._labels: Mapping[str, str] = {}
        self._references: Mapping[str, Any] = {}
        self.count = 0

    def __iter__(self) -> Iterator[T]:
        for batch in self._batches:
            if self._labels_of is not None:
                self._labels = self._labels_of({c for stored in batch for c in stored.ends})
            if self._references_of is not None:
                self._references = self._references_of(
                    {r for stored in batch for r in stored.references}
                )
            for stored in batch:
                self.count += 1
                yield stored
            if self._on_batch is not None:
                self._on_batch(len(batch))

    def label(self, curie: str) -> str:
        """Display name of an identifier of the current batch."""
        found = self._labels.get(curie)
        return found if found is not None else self._fallback_label(curie)

    def reference(self, curie: str) -> Any:
        """What ``references_of`` found for an identifier the current batch cites (``None``:
        not stored)."""
        return self._references.get(curie)
