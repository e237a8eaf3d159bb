"""shares: who shared which clip, and a share count per clip (a For You signal)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 20:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import figment.db

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "shares",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("video_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", figment.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_shares_user_id_users"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["video_id"], ["videos.id"], name=op.f("fk_shares_video_id_videos"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shares")),
        sa.UniqueConstraint("user_id", "video_id", name=op.f("uq_shares_user_id_video_id")),
    )
    op.create_index(op.f("ix_shares_user_id"), "shares", ["user_id"], unique=False)
    op.create_index(op.f("ix_shares_video_id"), "shares", ["video_id"], unique=False)
    with op.batch_alter_table("videos") as batch:
        batch.add_column(sa.Column("share_count", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("videos") as batch:
        batch.drop_column("share_count")
    op.drop_index(op.f("ix_shares_video_id"), table_name="shares")
    op.drop_index(op.f("ix_shares_user_id"), table_name="shares")
    op.drop_table("shares")
