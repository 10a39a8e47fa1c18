"""Counts maintained on write (``tallies``), so that ``db stats``, ``/api/stats`` and search's
claim counts never count rows on request; DOIs looked up in any case through an index.

The table starts empty and unmarked: ``SqlStore.initialise`` fills it from the tables once
(``evkg.store._tallies.rebuild``) after this migration.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tallies",
        sa.Column("family", sa.String(64), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("family", "key", name="pk_tallies"),
    )
    op.create_index("ix_references_doi_lower", "references", [sa.text("lower(doi)")], unique=False)


def downgrade() -> None:
    op.drop_index("ix_references_doi_lower", table_name="references")
    op.drop_table("tallies")
