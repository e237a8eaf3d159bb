"""For You recommender over HTTP: steering, see-less, reasons, no repeats, visibility, teens."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from figment.accounts.models import User
from figment.app import create_app
from figment.db import utcnow
from figment.services import Services
from figment.videos.models import Video, VideoStatus, Visibility
from support import REDIS_URL, Api, make_settings

COOKING = ["a chef cooking pasta in a kitchen", "baking bread and cakes at home", "a recipe for spicy curry soup"]
ANIMALS = ["a cat playing with a puppy", "wild horses running on a beach", "a parrot talking to a dog"]
HORROR = ["a horror movie zombie in a dark cellar", "a haunted house with ghosts at midnight", "a scary monster horror"]
OTHER = ["a red car racing in the city", "a rocket launching into space", "football match in the rain"]


def _services(api: Api) -> Services:
    app: Any = api.client.app
    return app.state.services  # type: ignore[no-any-return]


def _clips(
    api: Api, handle: str, prompts: list[str], *, visibility: str = Visibility.published, duration_s: float = 1.0
) -> list[str]:
    """Published clips written straight to the database: ranking tests need many, not renders."""
    services = _services(api)
    ids = []
    with services.session_factory() as session, session.begin():
        author = session.query(User).filter_by(handle=handle).one()
        for i, prompt in enumerate(prompts):
            video = Video(
                author_id=author.id,
                prompt=prompt,
                duration_s=duration_s,
                seed=i,
                width=144,
                height=256,
                status=VideoStatus.ready,
                visibility=visibility,
                published_at=utcnow() - timedelta(minutes=len(prompts) - i) if visibility == "published" else None,
            )
            session.add(video)
            session.flush()
            services.recommender.store_embedding(session=session, video=video)
            ids.append(video.id)
    return ids


def _page(client: TestClient, headers: dict[str, str], *, limit: int = 3, cursor: str | None = None) -> dict[str, Any]:
    url = f"/api/feed?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _ids(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["items"]]


def test_steering_text_moves_the_next_page(api: Api) -> None:
    for handle in ("cook", "vet", "gore", "misc"):
        api.signup(handle)
    viewer = api.signup("viewer")
    cooking = _clips(api, "cook", COOKING)
    animals = _clips(api, "vet", ANIMALS)
    horror = _clips(api, "gore", HORROR)
    _clips(api, "misc", OTHER)
    first = _page(api.client, viewer, limit=2)

    response = api.client.put(
        "/api/me/feed-preferences", json={"text": "more cooking and animals, less horror"}, headers=viewer
    )
    assert response.status_code == 200 and response.json()["text"] == "more cooking and animals, less horror"
    assert api.client.get("/api/me/feed-preferences", headers=viewer).json()["text"].startswith("more cooking")

    nxt = _page(api.client, viewer, limit=4, cursor=first["next_cursor"])
    assert not set(_ids(nxt)) & set(_ids(first)), "the next page must not repeat the first"
    wanted = set(cooking + animals) - set(_ids(first))
    assert set(_ids(nxt)) <= wanted, [i["prompt"] for i in nxt["items"]]
    assert all(i["reason"] == "steered" and i["reason_text"].startswith("you asked for more") for i in nxt["items"])
    # The subject lets a client say it in the viewer's language: "Hai chiesto più cooking".
    assert all(i["reason_text"] == f"you asked for more {i['reason_subject']}" for i in nxt["items"])

    # A fresh feed puts horror last, in Italian too.
    api.client.put("/api/me/feed-preferences", json={"text": "più cucina, meno horror"}, headers=viewer)
    everything = _ids(_page(api.client, viewer, limit=12))
    assert everything[0] in cooking
    assert set(everything[-3:]) == set(horror)


def test_see_less_demotes_author_and_topic_and_reasons_explain(api: Api) -> None:
    for handle in ("cook", "gore", "misc"):
        api.signup(handle)
    viewer = api.signup("viewer")
    horror = _clips(api, "gore", HORROR)
    cooking = _clips(api, "cook", COOKING)
    _clips(api, "misc", OTHER)
    assert api.client.post(f"/api/videos/{horror[-1]}/see-less", headers=viewer).status_code == 204
    ids = _ids(_page(api.client, viewer, limit=20))
    assert horror[-1] not in ids
    assert set(ids[-2:]) == set(horror[:2]), "the see-less'd author's other clips sink to the bottom"

    # Follows and likes show up as reasons.
    api.client.post("/api/users/cook/follow", headers=viewer)
    page = _page(api.client, viewer, limit=20)
    reasons = {i["id"]: (i["reason"], i["reason_text"]) for i in page["items"]}
    assert all(reasons[c] == ("following", "people you follow") for c in cooking)
    api.client.delete("/api/users/cook/follow", headers=viewer)
    assert api.client.post(f"/api/videos/{cooking[0]}/like", headers=viewer).status_code == 200
    page = _page(api.client, viewer, limit=20)
    texts = [i["reason_text"] for i in page["items"]]
    assert any(t.startswith("because you liked \u201ca chef cooking pasta") for t in texts), texts


def test_no_repeats_across_100_pages_and_watched_clips_leave(api: Api) -> None:
    for handle in ("ann", "ben", "cat"):
        api.signup(handle)
    viewer = api.signup("viewer")
    clips = []
    for handle in ("ann", "ben", "cat"):
        clips += _clips(api, handle, [f"{handle} clip number {i} about topic {i % 7}" for i in range(110)])
    seen: list[str] = []
    page = _page(api.client, viewer, limit=3)
    for n in range(100):
        seen += _ids(page)
        # Watch one clip of each page; buffered views must not come back either.
        api.client.post(f"/api/videos/{_ids(page)[0]}/view", json={"watched_ms": 400}, headers=viewer)
        if n < 99:
            page = _page(api.client, viewer, limit=3, cursor=page["next_cursor"])
    assert len(seen) == 300 and len(set(seen)) == 300
    _services(api).recommender.signals.flush()
    fresh = _page(api.client, viewer, limit=50)
    assert not set(_ids(fresh)) & set(seen[0::3]), "watched clips never come back"
    authors = [i["author"]["handle"] for i in fresh["items"]]
    assert all(x != y for x, y in zip(authors, authors[1:], strict=False)), "no author twice in a row"


def test_drafts_removed_blocked_and_teens(api: Api) -> None:
    api.signup("cook")
    api.signup("gore")
    adult = api.signup("adult")
    teen = api.signup("teen", birthdate=str(utcnow().date().replace(year=utcnow().year - 15)))
    cooking = _clips(api, "cook", COOKING)
    horror = _clips(api, "gore", HORROR)
    draft = _clips(api, "cook", ["a secret draft recipe"], visibility=Visibility.draft)
    removed = _clips(api, "cook", ["a removed cooking clip"], visibility=Visibility.removed)
    everything = set(cooking + horror)

    for who in (adult, teen):
        api.client.put("/api/me/feed-preferences", json={"text": "more horror"}, headers=who)
        ids = _ids(_page(api.client, who, limit=20))
        assert set(ids) == everything and not set(ids) & set(draft + removed)
    adult_page = _page(api.client, adult, limit=20)["items"]
    teen_page = _page(api.client, teen, limit=20)["items"]
    # Steered up, but still interleaved: one author never plays twice in a row.
    assert adult_page[0]["id"] in horror and {i["id"] for i in adult_page[:5]} >= set(horror)
    assert all(i["reason"] == "steered" for i in adult_page if i["id"] in horror)
    assert not any(i["reason"] == "steered" for i in teen_page), "teens get no personalised ranking by default"

    api.client.post("/api/users/gore/block", headers=adult)
    assert set(_ids(_page(api.client, adult, limit=20))) == set(cooking)
    # The blocked side loses the blocker's clips too (none here), and keeps its own clips out of its feed.
    gore = api.auth("gore")
    assert not set(_ids(_page(api.client, gore, limit=20))) & set(horror)


def test_people_who_liked_what_you_liked(api: Api) -> None:
    api.signup("maker")
    viewer = api.signup("viewer")
    others = [api.signup(f"fan{i}") for i in range(3)]
    rocket, bread, car = _clips(api, "maker", ["a rocket launching into space", COOKING[1], OTHER[0]])
    _services(api).recommender.collab.min_refit_s = 0.0  # refit on the next page after new likes
    for fan in others:
        for clip in (rocket, bread):
            assert api.client.post(f"/api/videos/{clip}/like", headers=fan).status_code == 200
    api.client.post(f"/api/videos/{rocket}/like", headers=viewer)
    items = {i["id"]: i for i in _page(api.client, viewer, limit=10)["items"]}
    assert items[bread]["reason"] == "collaborative"
    assert items[bread]["reason_text"] == "people who liked \u201ca rocket launching into space\u201d liked this"
    assert items[bread]["reason_subject"] == "a rocket launching into space"
    order = list(items)
    assert order.index(bread) < order.index(car)


def test_a_quick_skip_sinks_that_topic(api: Api) -> None:
    for handle in ("cook", "gore"):
        api.signup(handle)
    viewer = api.signup("viewer")
    cooking = _clips(api, "cook", COOKING)
    horror = _clips(api, "gore", HORROR)
    with _services(api).session_factory() as session, session.begin():
        for video in session.query(Video).filter(Video.id.in_(cooking)):
            video.published_at = utcnow() - timedelta(minutes=30)  # horror is fresher: first when nothing else counts
    assert _ids(_page(api.client, viewer, limit=1)) == [horror[-1]]

    skip = api.client.post(f"/api/videos/{horror[-1]}/view", json={"watched_ms": 600}, headers=viewer)
    assert skip.status_code == 204
    _services(api).recommender.signals.flush()
    items = _page(api.client, viewer, limit=4)["items"]
    assert items[0]["id"] in cooking, [i["prompt"] for i in items]
    assert horror[-1] not in _ids({"items": items})  # watched, however briefly, it does not come back


def test_two_app_processes_share_lists_through_redis(tmp_path: Path, database_url: str, redis_prefix: str) -> None:
    """Two app instances (as two uvicorn workers would be) share ranked lists and served ids through
    Redis: a scroll that alternates between them never repeats, and a like on one reaches the other."""
    settings = make_settings(
        tmp_path / "data", database_url, feed_cache="redis", redis_url=REDIS_URL, feed_cache_prefix=redis_prefix
    )
    with (
        TestClient(create_app(settings), raise_server_exceptions=False) as one,
        TestClient(create_app(settings), raise_server_exceptions=False) as two,
    ):
        api = Api(one)
        api.signup("ann")
        viewer = api.signup("viewer")
        clips = _clips(api, "ann", [f"clip {i} about topic {i % 5}" for i in range(60)])
        seen: list[str] = []
        page = _page(one, viewer, limit=5)
        for n in range(12):
            seen += _ids(page)
            if n < 11:
                page = _page(two if n % 2 == 0 else one, viewer, limit=5, cursor=page["next_cursor"])
        assert len(seen) == 60 and set(seen) == set(clips)
        # A signal on one instance bumps the shared version: the other rebuilds the list at once.
        assert one.post(f"/api/videos/{seen[0]}/like", headers=viewer).status_code == 200
        texts = [i["reason_text"] or "" for i in _page(two, viewer, limit=20)["items"]]
        assert any(t.startswith("because you liked") for t in texts), texts


def _cooking_older_than_horror(api: Api) -> tuple[dict[str, str], list[str], list[str]]:
    """A viewer, 10 s cooking clips and fresher horror clips: with no signal, horror comes first."""
    for handle in ("cook", "gore"):
        api.signup(handle)
    viewer = api.signup("viewer")
    cooking = _clips(api, "cook", COOKING, duration_s=10.0)
    horror = _clips(api, "gore", HORROR, duration_s=10.0)
    with _services(api).session_factory() as session, session.begin():
        for video in session.query(Video).filter(Video.id.in_(cooking)):
            video.published_at = utcnow() - timedelta(minutes=30)
    assert _ids(_page(api.client, viewer, limit=1)) == [horror[-1]]
    return viewer, cooking, horror


def _views(api: Api, viewer: dict[str, str], video_id: str, *watched: tuple[int, bool]) -> None:
    for watched_ms, completed in watched:
        response = api.client.post(
            f"/api/videos/{video_id}/view", json={"watched_ms": watched_ms, "completed": completed}, headers=viewer
        )
        assert response.status_code == 204, response.text
    _services(api).recommender.signals.flush()


@pytest.mark.parametrize(
    "signal",
    [
        "share",
        "remix",
        # 9 s of a 10 s clip, though the player never said "completed": watch time counts against length.
        "watched_most",
        # Three visits of 6 s each: none watched through, but 1.8 lengths in all is a rewatch.
        "rewatch",
    ],
)
def test_each_positive_signal_brings_that_topic_up(api: Api, signal: str) -> None:
    viewer, cooking, horror = _cooking_older_than_horror(api)
    if signal == "share":
        assert api.client.post(f"/api/videos/{cooking[0]}/share", headers=viewer).json() == {"share_count": 1}
    elif signal == "remix":
        api.submit("viewer", "my own take on pasta", remix_of=cooking[0])
    elif signal == "watched_most":
        _views(api, viewer, cooking[0], (9000, False))
    else:
        _views(api, viewer, cooking[0], (6000, False), (6000, False), (6000, False))
    items = _page(api.client, viewer, limit=2)["items"]
    assert items[0]["id"] in cooking, [i["prompt"] for i in items]
    assert items[0]["reason"] == "similar", items[0]


def test_watching_a_little_of_a_clip_is_no_signal(api: Api) -> None:
    """Half of a clip, twice: neither through, nor a rewatch, nor a quick skip; the order stays."""
    viewer, cooking, horror = _cooking_older_than_horror(api)
    _views(api, viewer, cooking[0], (5000, False))
    assert _page(api.client, viewer, limit=1)["items"][0]["id"] == horror[-1]


def test_a_reported_clip_leaves_and_its_author_and_topic_sink(api: Api) -> None:
    for handle in ("cook", "gore", "misc"):
        api.signup(handle)
    viewer = api.signup("viewer")
    horror = _clips(api, "gore", HORROR)
    _clips(api, "cook", COOKING)
    _clips(api, "misc", OTHER)
    report = {"subject_type": "video", "subject_id": horror[-1], "reason": "violence", "note": ""}
    assert api.client.post("/api/reports", json=report, headers=viewer).status_code == 201
    ids = _ids(_page(api.client, viewer, limit=20))
    assert horror[-1] not in ids
    assert set(ids[-2:]) == set(horror[:2]), "the reported author's other clips sink to the bottom"


def test_share_counts_once_per_person_and_only_published_clips(api: Api) -> None:
    api.signup("ann")
    viewer = api.signup("viewer")
    other = api.signup("other")
    [clip] = _clips(api, "ann", ["a lighthouse in a storm"])
    [draft] = _clips(api, "ann", ["a secret draft"], visibility=Visibility.draft)
    assert api.client.post(f"/api/videos/{clip}/share", headers=viewer).json() == {"share_count": 1}
    assert api.client.post(f"/api/videos/{clip}/share", headers=viewer).json() == {"share_count": 1}
    assert api.client.post(f"/api/videos/{clip}/share", headers=other).json() == {"share_count": 2}
    assert api.client.get(f"/api/videos/{clip}", headers=viewer).json()["share_count"] == 2
    assert api.client.post(f"/api/videos/{clip}/share").status_code == 401
    assert api.client.post(f"/api/videos/{draft}/share", headers=viewer).status_code == 404  # not visible to them
    assert api.client.post(f"/api/videos/{draft}/share", headers=api.auth("ann")).status_code == 409
    assert api.client.post("/api/videos/nope/share", headers=viewer).status_code == 404
