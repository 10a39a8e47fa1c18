"""Review placements: where the curated source lists a claim, when that is not the disease
it is curated under (a cartilage-repair finding the review lists under RA).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_placements",
        sa.Column("claim_hash", sa.String(32), nullable=False),
        sa.Column("disease", sa.String(255), nullable=False),
        sa.Column("listed_as", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_hash"],
            ["claims.hash"],
            name="fk_review_placements_claim_hash_claims",
        ),
        sa.PrimaryKeyConstraint("claim_hash", "disease", name="pk_review_placements"),
    )
    op.create_index("ix_review_placements_disease", "review_placements", ["disease"])


def downgrade() -> None:
    op.drop_table("review_placements")
