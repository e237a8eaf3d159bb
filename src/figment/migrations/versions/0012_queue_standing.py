"""jobs: started_at and an index on finished jobs, so a pending clip shows its place and an estimate

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 20:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import figment.db

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("started_at", figment.db.UTCDateTime(timezone=True), nullable=True))
        batch.create_index("ix_jobs_finished", ["state", "updated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_index("ix_jobs_finished")
        batch.drop_column("started_at")
