"""Study records and the identifiers of a reference a scientist follows.

A study is one primary paper's experiment, curated from its own abstract; claims point to
it through their mechanism chain (``study.<id>``). References gain the PMC identifier and
their publication type, so that reviews are never counted as studies.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("references") as batch:
        batch.add_column(sa.Column("pmcid", sa.String(20)))
        batch.add_column(sa.Column("publication_type", sa.String(32)))
        batch.create_index("ix_references_pmcid", ["pmcid"])
    op.create_table(
        "studies",
        sa.Column("id", sa.String(255), nullable=False),
        sa.Column("reference", sa.String(255), nullable=False),
        sa.Column("disease", sa.String(255), nullable=False),
        sa.Column("ev_source", sa.String(255), nullable=False),
        sa.Column("source_species", sa.String(255)),
        sa.Column("model_species", sa.String(255)),
        sa.Column("route", sa.String(255)),
        sa.Column("design", sa.String(32), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("product", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_studies"),
    )
    for column in ("reference", "disease", "ev_source"):
        op.create_index(f"ix_studies_{column}", "studies", [column])


def downgrade() -> None:
    op.drop_table("studies")
    with op.batch_alter_table("references") as batch:
        batch.drop_index("ix_references_pmcid")
        batch.drop_column("publication_type")
        batch.drop_column("pmcid")
