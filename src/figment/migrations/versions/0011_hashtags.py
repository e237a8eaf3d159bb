"""hashtags: every tag name once, and the tags each clip's prompt carries (search, tag pages, Discover);
existing clips get their tags from their prompts

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 19:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import figment.db
from figment.tags.names import extract_tags

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hashtags",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("created_at", figment.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_hashtags")),
    )
    op.create_table(
        "clip_tags",
        sa.Column("video_id", sa.String(length=32), nullable=False),
        sa.Column("tag", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(
            ["video_id"], ["videos.id"], name=op.f("fk_clip_tags_video_id_videos"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["tag"], ["hashtags.name"], name=op.f("fk_clip_tags_tag_hashtags")),
        sa.PrimaryKeyConstraint("video_id", "tag", name=op.f("pk_clip_tags")),
    )
    op.create_index("ix_clip_tags_tag", "clip_tags", ["tag", "video_id"], unique=False)
    # Clips made before tags were stored: their prompts say which tags they carry.
    connection = op.get_bind()
    videos = sa.table("videos", sa.column("id", sa.String()), sa.column("prompt", sa.Text()))
    hashtags = sa.table(
        "hashtags", sa.column("name", sa.String()), sa.column("created_at", figment.db.UTCDateTime(timezone=True))
    )
    clip_tags = sa.table("clip_tags", sa.column("video_id", sa.String()), sa.column("tag", sa.String()))
    names: set[str] = set()
    pairs: list[dict[str, str]] = []
    for video_id, prompt in connection.execute(
        sa.select(videos.c.id, videos.c.prompt).where(videos.c.prompt.contains("#"))
    ):
        for tag in extract_tags(prompt or ""):
            names.add(tag)
            pairs.append({"video_id": video_id, "tag": tag})
    now = figment.db.utcnow()
    if names:
        connection.execute(hashtags.insert(), [{"name": n, "created_at": now} for n in sorted(names)])
        connection.execute(clip_tags.insert(), pairs)


def downgrade() -> None:
    op.drop_index("ix_clip_tags_tag", table_name="clip_tags")
    op.drop_table("clip_tags")
    op.drop_table("hashtags")
