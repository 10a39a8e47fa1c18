"""Publication years may be unknown: a study curated from a page that prints no year keeps
``year`` null rather than a year guessed from its DOI.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_TABLES = ("references", "studies")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("year", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("year", existing_type=sa.Integer(), nullable=False)
