"""jobs: run_after, so a retry waits (backoff) instead of using up its attempts during an outage

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 17:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import figment.db

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("run_after", figment.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("run_after")
