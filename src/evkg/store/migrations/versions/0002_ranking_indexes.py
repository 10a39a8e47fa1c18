"""Indexes for ranked claim listings.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_claims_rank",
        "claims",
        [sa.text("strength_rank DESC"), sa.text("confidence DESC"), "hash"],
    )
    op.create_index(
        "ix_claims_outcome_rank",
        "claims",
        ["outcome", sa.text("strength_rank DESC"), sa.text("confidence DESC"), "hash"],
    )


def downgrade() -> None:
    op.drop_index("ix_claims_outcome_rank", table_name="claims")
    op.drop_index("ix_claims_rank", table_name="claims")
