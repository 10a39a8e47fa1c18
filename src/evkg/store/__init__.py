"""Storage of the evidence graph behind the :class:`Store` protocol (SQLite or PostgreSQL)."""

from evkg.store._streaming import ClaimEnd, ClaimRow, PublicationIds
from evkg.store._support_check import SupportCheck
from evkg.store.protocol import (
    Chain,
    ClaimCount,
    ClaimFilter,
    ClaimSketch,
    Contradiction,
    LoadBundle,
    LoadReport,
    Store,
    StoredClaim,
    StudyFilter,
)
from evkg.store.sql import SqlStore, StoreError, redact_url

__all__ = [
    "Chain",
    "ClaimCount",
    "ClaimEnd",
    "ClaimFilter",
    "ClaimRow",
    "ClaimSketch",
    "Contradiction",
    "LoadBundle",
    "LoadReport",
    "PublicationIds",
    "SqlStore",
    "Store",
    "StoreError",
    "StoredClaim",
    "StudyFilter",
    "SupportCheck",
    "redact_url",
]
