"""Rank-ordered indexes for the context filters (EV source, route, model, species) and
for claims by subject.

An entity page of an EV source, route, model or species lists the claims having it in
their context, strongest first, 25 at a time. Without an index ordered by rank, the SQL
engine reads and sorts every claim of the value (tens of thousands on a large store) for
each page; with one, it walks the index and stops at the page. A cargo page lists the
claims having the cargo as subject or object: the subject index joins the object one.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_RANK: list[Any] = [sa.text("strength_rank DESC"), sa.text("confidence DESC"), "hash", "n_evidence"]
_COLUMNS = ("ev_source", "route", "model", "species", "subject")


def upgrade() -> None:
    # each replaces the single-column index of its column (its prefix): with both, SQLite
    # picks the smaller one for a deep page and sorts every matching claim
    for column in _COLUMNS:
        op.create_index(f"ix_claims_{column}_rank", "claims", [column, *_RANK])
        op.drop_index(f"ix_claims_{column}", table_name="claims")


def downgrade() -> None:
    for column in _COLUMNS:
        op.create_index(f"ix_claims_{column}", "claims", [column])
        op.drop_index(f"ix_claims_{column}_rank", table_name="claims")
