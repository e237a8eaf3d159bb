"""profiles: display name and bio on users, pinned clips (the avatar is a videos row, visibility 'avatar')

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import figment.db

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("display_name", sa.String(length=50), nullable=True))
        batch.add_column(sa.Column("bio", sa.Text(), nullable=True))
    op.create_table(
        "profile_pins",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("video_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", figment.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_profile_pins_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["video_id"], ["videos.id"], name=op.f("fk_profile_pins_video_id_videos"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_pins")),
        sa.UniqueConstraint("user_id", "video_id", name=op.f("uq_profile_pins_user_id_video_id")),
        sa.UniqueConstraint("user_id", "position", name=op.f("uq_profile_pins_user_id_position")),
    )
    op.create_index(op.f("ix_profile_pins_user_id"), "profile_pins", ["user_id"], unique=False)
    op.create_index(op.f("ix_profile_pins_video_id"), "profile_pins", ["video_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_profile_pins_video_id"), table_name="profile_pins")
    op.drop_index(op.f("ix_profile_pins_user_id"), table_name="profile_pins")
    op.drop_table("profile_pins")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("bio")
        batch.drop_column("display_name")
