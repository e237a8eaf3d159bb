"""jobs: kinds, queues and priorities, so one table carries clips and other background work

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=32), server_default="render", nullable=False))
        batch.add_column(sa.Column("queue", sa.String(length=32), server_default="cpu", nullable=False))
        batch.add_column(sa.Column("priority", sa.Integer(), server_default="20", nullable=False))
        batch.add_column(sa.Column("payload", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("result", sa.JSON(), nullable=True))
        batch.alter_column("video_id", existing_type=sa.String(length=32), nullable=True)
        batch.create_index("ix_jobs_queue_order", ["queue", "state", "priority", "created_at"], unique=False)


def downgrade() -> None:
    op.execute("DELETE FROM jobs WHERE video_id IS NULL")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_index("ix_jobs_queue_order")
        batch.alter_column("video_id", existing_type=sa.String(length=32), nullable=False)
        for column in ("result", "payload", "priority", "queue", "kind"):
            batch.drop_column(column)
