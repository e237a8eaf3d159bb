"""Recommender parts without HTTP: signal batching, steering parser, the pure ranker, and the collaborative model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import sparse
from sqlalchemy import func, select

from figment.accounts.models import User
from figment.db import make_engine, make_session_factory
from figment.embeddings import HashEmbedder, Remembering
from figment.feed.collab import fit_ease, fit_item_knn
from figment.feed.ranking import Candidate, ForYouRanker, Topic, ViewerContext
from figment.feed.signals import SignalBuffer
from figment.feed.steering import parse
from figment.videos.models import Video, ViewEvent
from support import shared_embedder


def test_signal_buffer_batches_and_keeps_pending_visible(tmp_path: Path) -> None:
    from figment.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'x.db'}"
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory() as session, session.begin():
        user = User(handle="v", handle_skeleton="v", email="v@example.com", password_hash="x")
        session.add(user)
        session.flush()
        video = Video(author_id=user.id, prompt="p", duration_s=1, seed=1, width=2, height=2, visibility="published")
        session.add(video)
        session.flush()
        user_id, video_id = user.id, video.id
    flushed: list[set[str]] = []
    buffer = SignalBuffer(factory, flush_every_s=60, on_flush=flushed.append)
    for _ in range(500):
        buffer.record_view(user_id=user_id, video_id=video_id, watched_ms=100, completed=False)
    buffer.record_view(user_id=user_id, video_id="gone", watched_ms=100, completed=False)
    assert buffer.pending_views(user_id) == {video_id, "gone"}
    buffer.start()
    buffer.stop()  # stop flushes what is left
    assert buffer.pending_views(user_id) == set() and flushed == [{user_id}]
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(ViewEvent)) == 500
        assert session.get(Video, video_id).view_count == 500  # type: ignore[union-attr]
    engine.dispose()


def test_steering_parser_english_and_italian() -> None:
    assert parse("more cooking and animals, less horror").more == ("cooking", "animals")
    assert parse("more cooking and animals, less horror").less == ("horror",)
    italian = parse("più cucina e animali, meno horror")
    assert italian.more == ("cucina", "animali") and italian.less == ("horror",)
    assert parse("no spiders").less == ("spiders",)


def test_multilingual_embedder_matches_across_languages() -> None:
    embedder = shared_embedder()
    vectors = embedder.embed(["cucina", "a chef cooking pasta in a kitchen", "a haunted house with ghosts"])
    assert vectors.shape == (3, 512)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.1


def test_the_embedder_embeds_a_text_asked_again_once() -> None:
    """Moderation, rights and the feed embed the same prompt at submit and again before rendering."""
    seen: list[list[str]] = []

    class Counting(HashEmbedder):
        def embed(self, texts: list[str]) -> np.ndarray:
            seen.append(list(texts))
            return super().embed(texts)

    embedder = Remembering(Counting())
    first = embedder.embed(["a cat on a roof"])
    again = embedder.embed(["a cat on a roof"])
    assert seen == [["a cat on a roof"]] and np.array_equal(first, again)
    assert not again.flags.writeable  # one array shared by every caller
    assert embedder.embed(["a cat", "a dog"]).shape == (2, embedder.dim) and len(seen) == 2


def _candidate(vid: str, author: str, prompt: str, embedder: HashEmbedder, hours: float = 1.0) -> Candidate:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return Candidate(
        video_id=vid,
        author_id=author,
        published_at=now - timedelta(hours=hours),
        like_count=0,
        comment_count=0,
        view_count=0,
        embedding=embedder.embed([prompt])[0],
    )


def test_ranker_is_pure_explains_and_diversifies() -> None:
    embedder = HashEmbedder()
    now = datetime(2026, 1, 1, tzinfo=UTC)
    cands = [_candidate(f"c{i}", "cook", f"cooking pasta {i}", embedder) for i in range(3)]
    cands += [_candidate(f"h{i}", "gore", f"horror zombie {i}", embedder) for i in range(3)]
    ranker = ForYouRanker()
    plain = ranker.rank(ViewerContext(viewer_id="v", now=now), cands)
    authors = [c.video_id[0] for c in plain]
    assert all(x != y for x, y in zip(authors, authors[1:], strict=False))
    more = Topic(label="cooking pasta", vector=embedder.embed(["cooking pasta"])[0])
    steered = ranker.rank(ViewerContext(viewer_id="v", now=now, more=(more,)), cands)
    assert steered[0].video_id.startswith("c") and steered[0].reason == "steered"
    followed = ranker.rank(ViewerContext(viewer_id="v", now=now, followee_ids=frozenset({"gore"})), cands)
    assert followed[0].video_id.startswith("h") and followed[0].detail == "people you follow"
    teen = ranker.rank(ViewerContext(viewer_id="v", now=now, more=(more,), personalised=False), cands)
    assert [s.video_id for s in teen] == [s.video_id for s in plain]


def test_collaborative_models_recover_co_occurrence() -> None:
    # Two groups of users with disjoint tastes: items 0-2 and items 3-5.
    rows = [(u, i) for u in range(20) for i in ((0, 1, 2) if u < 10 else (3, 4, 5))]
    x = sparse.csr_matrix((np.ones(len(rows)), tuple(zip(*rows, strict=True))), shape=(20, 6))
    for model in (fit_ease(x, l2=1.0), fit_item_knn(x, k=3)):
        history = sparse.csr_matrix(([1.0], ([0], [0])), shape=(1, 6))
        scores = model.scores(history)[0]
        assert scores[1] > scores[3] and scores[2] > scores[4]
        assert model.explain([0, 3], [1.0, 1.0], 1) == 0


def test_quick_skips_demote_the_topic_less_than_see_less() -> None:
    embedder = HashEmbedder(dim=4096)  # wide enough that these few words never share a bucket
    now = datetime(2026, 1, 1, tzinfo=UTC)
    cooking = _candidate("c0", "cook", "cooking pasta 0", embedder)
    zombie = _candidate("h0", "gore", "horror zombie 0", embedder)
    ranker = ForYouRanker()
    horror = Topic(label="horror zombie", vector=embedder.embed(["horror zombie"])[0])

    def score(candidate: Candidate, **context: Any) -> float:
        # One candidate at a time: the diversity pass cannot move it, so the score is the ranker's own.
        [scored] = ranker.rank(ViewerContext(viewer_id="v", now=now, **context), [candidate])
        return scored.score

    assert score(cooking, skipped_topics=(horror,)) == score(cooking)
    assert score(zombie, see_less_topics=(horror,)) < score(zombie, skipped_topics=(horror,)) < score(zombie)
    # Not personalised (teens by default, logged out): skips change nothing.
    assert score(zombie, skipped_topics=(horror,), personalised=False) == score(zombie, personalised=False)
    # Between two equally fresh clips, a skip on one topic puts the other first.
    both = ranker.rank(ViewerContext(viewer_id="v", now=now, skipped_topics=(horror,)), [zombie, cooking])
    assert both[0].video_id == "c0"


def test_watch_time_is_read_against_the_clip_length() -> None:
    from figment.feed.engagement import ViewRow, read_views

    rows = [  # newest first
        ViewRow("skip", 900, False, 10.0),  # left within 2 s
        ViewRow("loop", 6000, False, 10.0),
        ViewRow("most", 8500, False, 10.0),  # 85 % of a 10 s clip, no "completed" from the player
        ViewRow("loop", 6000, False, 10.0),
        ViewRow("short", 1500, True, 1.5),  # a short clip watched to its end is not a quick skip
        ViewRow("half", 5000, False, 10.0),
        ViewRow("loop", 6000, False, 10.0),  # three visits, 1.8 lengths in all
        ViewRow("skip_then_back", 9800, True, 10.0),
        ViewRow("skip_then_back", 500, False, 10.0),  # skipped once, watched through later: no skip
    ]
    signals = read_views(rows)
    assert signals.rewatched == ["loop"]
    assert signals.watched_through == ["most", "short", "skip_then_back"]
    assert signals.quick_skips == ["skip"]


def _unit(rows: Any) -> Any:
    rows = np.asarray(rows, dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_vector_index_finds_nearest_prompts_and_new_clips_at_once() -> None:
    from figment.feed.vector_index import VectorIndex

    index = VectorIndex()
    assert index.search(_unit([[1, 0, 0]]), 5) == []  # empty: nothing, no error
    index.set(["east", "north", "west"], _unit([[1, 0.1, 0], [0, 1, 0], [-1, 0, 0.1]]))
    found = index.search(_unit([[1, 0, 0], [0, 1, 0.05]]), 2)
    assert {vid for vid, _s, _q in found[:2]} == {"east", "north"}
    assert {vid: q for vid, _s, q in found}["north"] == 1  # named by the query that found it
    assert len({vid for vid, _s, _q in found}) == len(found)  # one row per clip
    index.add_many(["northeast"], _unit([[1, 1, 0]]))
    assert index.search(_unit([[0.7, 0.7, 0]]), 1)[0][0] == "northeast"
    assert index.search(_unit([[1, 0]]), 3) == []  # another model's vectors: no match, no error


def test_vector_index_switches_to_ivf_at_scale_and_keeps_recall(monkeypatch: pytest.MonkeyPatch) -> None:
    from figment.feed import vector_index

    monkeypatch.setattr(vector_index, "EXACT_UP_TO", 1000)
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((40, 32))
    vectors = _unit(centres[rng.integers(0, 40, 8000)] + 0.4 * rng.standard_normal((8000, 32)))
    ids = [f"c{i}" for i in range(len(vectors))]
    ivf = vector_index.VectorIndex()
    ivf.set(ids, vectors)
    assert type(ivf._index).__name__ == "IndexIVFScalarQuantizer"  # 8-bit codes: a quarter of the memory
    queries = vectors[rng.choice(len(vectors), 50, replace=False)]
    exact = queries @ vectors.T
    hits = 0
    for q in range(len(queries)):
        truth = {ids[i] for i in np.argsort(-exact[q])[:10]}
        hits += len(truth & {vid for vid, _s, _q in ivf.search(queries[q : q + 1], 10)})
    assert hits / (10 * len(queries)) >= 0.9


def test_vector_index_reads_only_new_clips_then_rebuilds_without_removed_ones(tmp_path: Path) -> None:
    from figment.embeddings import to_bytes
    from figment.feed.models import VideoEmbedding
    from figment.feed.vector_index import VectorIndex
    from figment.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'x.db'}"
    upgrade(url)
    factory = make_session_factory(make_engine(url))
    start = datetime(2026, 1, 1, tzinfo=UTC)

    def publish(session: Any, author: str, n: int, vector: list[float]) -> str:
        video = Video(
            author_id=author,
            prompt=f"clip {n}",
            duration_s=1,
            seed=n,
            width=2,
            height=2,
            visibility="published",
            published_at=start + timedelta(minutes=n),
        )
        session.add(video)
        session.flush()
        session.add(VideoEmbedding(video_id=video.id, model="t", vector=to_bytes(_unit([vector])[0])))
        return video.id

    with factory() as session, session.begin():
        user = User(handle="a", handle_skeleton="a", email="a@example.com", password_hash="x")
        session.add(user)
        session.flush()
        east = publish(session, user.id, 1, [1, 0, 0])
        author = user.id
    index = VectorIndex(max_age_s=0, rebuild_s=3600)
    with factory() as session:
        index.ensure_loaded(session)
    assert len(index) == 1
    with factory() as session, session.begin():
        north = publish(session, author, 2, [0, 1, 0])
        session.get(Video, east).visibility = "removed"  # type: ignore[union-attr]
    with factory() as session:
        index.ensure_loaded(session)  # incremental: the new clip comes in, nothing is read twice
    assert len(index) == 2 and index.search(_unit([[0, 1, 0]]), 1)[0][0] == north
    index.rebuild_s = 0
    with factory() as session:
        index.ensure_loaded(session)  # rebuilt from the table: the removed clip is gone
    assert [vid for vid, _s, _q in index.search(_unit([[1, 0, 0]]), 5)] == [north]


def test_id_array_grows_widens_and_refuses_positions_out_of_range() -> None:
    from figment.feed.vector_index import IdArray

    ids = IdArray(["a1", "b2"])
    ids.extend([f"c{i}" for i in range(100)])
    ids.extend(["a-much-longer-id"])  # wider than anything before: the array widens, nothing is cut
    assert len(ids) == 103 and ids[0] == "a1" and ids[101] == "c99" and ids[102] == "a-much-longer-id"
    with pytest.raises(IndexError):
        ids[103]
    assert len(IdArray()) == 0
