"""provenance_records: a minimal record of every clip this instance made (watermark id, clip id, made and
removed dates; no media, prompt or author), so the provenance check still answers after a clip is gone.
Backfilled from the clips that exist: those rendered (they have media), made when created, and removed now
if an operator or a takedown hid them (the real date is not known).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import figment.db

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "provenance_records",
        sa.Column("video_id", sa.String(length=32), nullable=False),
        sa.Column("watermark_id", sa.String(length=12), nullable=True),
        sa.Column("made_at", figment.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("removed_at", figment.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("video_id", name=op.f("pk_provenance_records")),
        sa.UniqueConstraint("watermark_id", name=op.f("uq_provenance_records_watermark_id")),
    )
    videos = sa.table(
        "videos",
        sa.column("id", sa.String()),
        sa.column("watermark_id", sa.String()),
        sa.column("created_at", figment.db.UTCDateTime(timezone=True)),
        sa.column("visibility", sa.String()),
        sa.column("video_key", sa.String()),
    )
    records = sa.table(
        "provenance_records",
        sa.column("video_id", sa.String()),
        sa.column("watermark_id", sa.String()),
        sa.column("made_at", figment.db.UTCDateTime(timezone=True)),
        sa.column("removed_at", figment.db.UTCDateTime(timezone=True)),
    )
    removed_now = sa.case(
        (videos.c.visibility == "removed", sa.literal(figment.db.utcnow(), figment.db.UTCDateTime(timezone=True))),
        else_=sa.null(),
    )
    op.execute(
        records.insert().from_select(
            ["video_id", "watermark_id", "made_at", "removed_at"],
            sa.select(videos.c.id, videos.c.watermark_id, videos.c.created_at, removed_now).where(
                videos.c.video_key.is_not(None)
            ),
        )
    )


def downgrade() -> None:
    op.drop_table("provenance_records")
