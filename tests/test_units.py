"""Small pure pieces: handles, cursors, the ranker, blob keys, settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from figment.accounts.handles import handle_skeleton, normalize_handle
from figment.errors import ValidationFailed
from figment.feed import cursor
from figment.feed.ranking import Candidate, FreshEngagingRanker, ViewerContext
from figment.settings import Settings
from figment.storage.local import LocalBlobStore


def test_handle_normalisation_and_skeletons() -> None:
    assert normalize_handle("  @Luna_99 ") == "luna_99"
    assert normalize_handle("ＬＵＮＡ") == "luna"  # full-width letters fold under NFKC
    assert handle_skeleton("paypal") == handle_skeleton("paypa1") == handle_skeleton("paypai")
    assert handle_skeleton("modern") == handle_skeleton("modem")  # 'rn' reads as 'm'
    assert handle_skeleton("alice") != handle_skeleton("alicia")
    with pytest.raises(ValidationFailed, match="imitate"):
        normalize_handle("раураl")  # Cyrillic р, а, у


def test_cursor_round_trip_and_tampering() -> None:
    token = cursor.encode({"tab": "for_you", "o": 20}, secret="s1")
    assert cursor.decode(token, secret="s1") == {"tab": "for_you", "o": 20}
    for bad in (token + "x", "x" + token, token.replace(".", ""), "", "....", "🙂.🙂"):
        with pytest.raises(ValidationFailed):
            cursor.decode(bad, secret="s1")
    with pytest.raises(ValidationFailed):
        cursor.decode(token, secret="another secret")


def _cand(vid: str, author: str, hours: float, likes: int = 0) -> Candidate:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return Candidate(
        video_id=vid,
        author_id=author,
        published_at=now - timedelta(hours=hours),
        like_count=likes,
        comment_count=0,
        view_count=0,
    )


def test_ranker_prefers_fresh_engaging_and_followed_and_spreads_authors() -> None:
    ranker = FreshEngagingRanker()
    now = datetime(2026, 1, 1, tzinfo=UTC)
    context = ViewerContext(viewer_id="v", now=now, followee_ids=frozenset({"friend"}))
    ranked = ranker.rank(
        context,
        [
            _cand("old", "a", 200),
            _cand("new", "b", 1),
            _cand("liked", "c", 5, likes=40),
            _cand("friend", "friend", 6),
        ],
    )
    order = [s.video_id for s in ranked]
    assert order.index("new") < order.index("old")
    assert order.index("liked") < order.index("old")
    assert {s.video_id: s.reason for s in ranked}["friend"] == "following"
    spread = ranker.rank(context, [_cand(f"a{i}", "a", i) for i in range(3)] + [_cand("b0", "b", 10)])
    authors = [s.video_id[0] for s in spread]
    assert authors[:3] == ["a", "b", "a"]


def test_blob_keys_cannot_escape_the_folder(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "media")
    source = tmp_path / "x.bin"
    source.write_bytes(b"hello")
    store.put_file("videos/abc/clip.mp4", source, content_type="video/mp4")
    assert store.exists("videos/abc/clip.mp4")
    for key in ("../x", "/etc/passwd", "videos/../../x", "VIDEOS/A", ""):
        with pytest.raises(ValueError):
            store.put_file(key, source, content_type="video/mp4")
    store.delete("videos/abc/clip.mp4")
    store.delete("videos/abc/clip.mp4")  # idempotent
    assert not store.exists("videos/abc/clip.mp4")


def test_settings_refuse_bad_values() -> None:
    with pytest.raises(ValueError, match="9:16"):
        Settings(video_width=720, video_height=720)
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(env="prod")
    assert Settings(env="prod", secret_key="x" * 40).env == "prod"
    assert Settings(data_dir=Path("/tmp/d")).resolved_database_url.startswith("sqlite:////tmp/d/")


def test_one_embedder_setting_still_reads_its_former_names(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().embedder == "use"
    assert Settings(embedder="hash").embedder == "hash"
    monkeypatch.setenv("FIGMENT_LIKENESS_EMBEDDER", "hash")
    assert Settings().embedder == "hash"
    monkeypatch.delenv("FIGMENT_LIKENESS_EMBEDDER")
    monkeypatch.setenv("FIGMENT_FEED_EMBEDDER", "hash")
    assert Settings().embedder == "hash"
    monkeypatch.setenv("FIGMENT_EMBEDDER", "use")  # the current name wins over a former one
    assert Settings().embedder == "use"
    with pytest.raises(ValueError, match="'use' or 'hash'"):
        Settings(embedder="bert")
