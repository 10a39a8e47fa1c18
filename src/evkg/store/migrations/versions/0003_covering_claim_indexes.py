"""Covering indexes for bounded disease pages and cheap claim counts.

``ix_claims_outcome_rank`` gains ``n_evidence`` so that counting visible claims of one
outcome reads the index only; ``ix_claims_disease_rank`` and ``ix_claims_object_rank`` list a
disease's claims in rank order (by context disease, or as the object of a disease edge) with
the columns counts and contradiction checks need.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_RANK: list[Any] = [sa.text("strength_rank DESC"), sa.text("confidence DESC"), "hash", "n_evidence"]


def upgrade() -> None:
    op.drop_index("ix_claims_outcome_rank", table_name="claims")
    op.create_index("ix_claims_outcome_rank", "claims", ["outcome", *_RANK])
    op.create_index(
        "ix_claims_disease_rank",
        "claims",
        ["disease", *_RANK, "predicate", "outcome", "subject"],
    )
    op.create_index(
        "ix_claims_object_rank",
        "claims",
        ["object", *_RANK, "disease", "predicate", "outcome", "subject"],
    )


def downgrade() -> None:
    op.drop_index("ix_claims_object_rank", table_name="claims")
    op.drop_index("ix_claims_disease_rank", table_name="claims")
    op.drop_index("ix_claims_outcome_rank", table_name="claims")
    op.create_index(
        "ix_claims_outcome_rank",
        "claims",
        ["outcome", sa.text("strength_rank DESC"), sa.text("confidence DESC"), "hash"],
    )
