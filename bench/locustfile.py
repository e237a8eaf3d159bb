"""Locust users for the scale-out load run (bench/load.py starts locust with this file).

Readers log in, page For You with the cursor 8 clips at a time (as web/static/feed.js does), send a view
for each clip they scroll past (watch.js) and like one in ten (card.js). Generators log in, submit a
clip (create.js), poll it about once a second until it leaves the queue (jobs.js) and publish it
(clip.js). Users take turns between the web processes, so both kinds run against both.

Configured through the environment by bench/load.py:
  FIGMENT_LOAD_HOSTS       comma-separated base URLs of the web processes
  FIGMENT_LOAD_READERS     reader users; their handles are viewer0..viewerN-1
  FIGMENT_LOAD_GENERATORS  generator users; handles viewerN..viewerN+M-1
  FIGMENT_LOAD_THINK_S     mean pause between two feed pages of one reader (seconds)
  FIGMENT_LOAD_CLIP_S      clip length that generators ask for
  FIGMENT_LOAD_SIGNALS     0: readers only page (no views or likes), so their ranked lists stay cached
  FIGMENT_LOAD_SAMPLES     where to write every feed request as (start, ms, ok) JSON when the run ends
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from typing import Any

from locust import between, events
from locust.contrib.fasthttp import FastHttpUser

HOSTS = [h for h in os.environ.get("FIGMENT_LOAD_HOSTS", "http://127.0.0.1:8000").split(",") if h]
READERS = int(os.environ.get("FIGMENT_LOAD_READERS", "8"))
GENERATORS = int(os.environ.get("FIGMENT_LOAD_GENERATORS", "2"))
THINK_S = float(os.environ.get("FIGMENT_LOAD_THINK_S", "1.0"))
CLIP_S = float(os.environ.get("FIGMENT_LOAD_CLIP_S", "5"))
SIGNALS = os.environ.get("FIGMENT_LOAD_SIGNALS", "1") != "0"
SAMPLES = os.environ.get("FIGMENT_LOAD_SAMPLES", "")
PAGE_SIZE = 8  # web/static/feed.js
PASSWORD = "longenough"  # bench/serving.feed_database
PROMPTS = [
    "a dog running on the beach at sunset",
    "a red car driving through a city at night in the rain",
    "a cat sleeping on a sofa in a sunny room",
    "a rocket launching into space over the ocean",
    "two robots dancing in a neon city",
    'a chef cooking pasta in a kitchen, then says "buon appetito"',
]

_reader_numbers = itertools.count()
_generator_numbers = itertools.count(READERS)
_hosts = itertools.count()
_feed_samples: list[tuple[float, float, bool]] = []


@events.request.add_listener
def _record_feed(
    request_type: str,
    name: str,
    response_time: float,
    exception: BaseException | None,
    start_time: float | None = None,
    **_: Any,
) -> None:
    if name == "/api/feed" and start_time is not None:
        _feed_samples.append((start_time, response_time, exception is None))


@events.quitting.add_listener
def _write_samples(**_: Any) -> None:
    if SAMPLES:
        with open(SAMPLES, "w") as out:
            json.dump(_feed_samples, out)


class _Figment(FastHttpUser):
    abstract = True

    def __init__(self, environment: Any) -> None:
        # Alternate the web processes, user by user (readers and generators each spread over both).
        self.host = HOSTS[next(_hosts) % len(HOSTS)]
        super().__init__(environment)
        self.headers: dict[str, str] = {}

    def login(self, handle: str) -> None:
        with self.client.post(
            "/api/auth/login", json={"login": handle, "password": PASSWORD}, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"login {handle}: {response.status_code} {response.text[:200]}")
                raise RuntimeError(f"login failed for {handle}")
            # The API's bearer token (what the Android/iOS clients use); the browser sends the same token
            # in its session cookie plus a CSRF header.
            self.headers = {"Authorization": f"Bearer {response.json()['token']}"}


class Reader(_Figment):
    fixed_count = READERS
    wait_time = between(0.5 * THINK_S, 1.5 * THINK_S)

    def on_start(self) -> None:
        self.login(f"viewer{next(_reader_numbers)}")
        self.cursor: str | None = None

    def _task(self) -> None:
        query = f"/api/feed?tab=for_you&limit={PAGE_SIZE}" + (f"&cursor={self.cursor}" if self.cursor else "")
        with self.client.get(query, headers=self.headers, name="/api/feed", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.text[:200]}")
                return
            page = response.json()
        self.cursor = page.get("next_cursor")
        for item in page["items"] if SIGNALS else []:
            watched_ms = random.randint(300, 10_000)
            self.client.post(
                f"/api/videos/{item['id']}/view",
                json={"watched_ms": watched_ms, "completed": watched_ms > 8_000},
                headers=self.headers,
                name="/api/videos/[id]/view",
            )
            if random.random() < 0.1:
                self.client.post(f"/api/videos/{item['id']}/like", headers=self.headers, name="/api/videos/[id]/like")

    tasks = [_task]


class Generator(_Figment):
    fixed_count = GENERATORS
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.login(f"viewer{next(_generator_numbers)}")

    def _task(self) -> None:
        prompt = f"{random.choice(PROMPTS)} {random.randint(0, 10**6)}"
        with self.client.post(
            "/api/videos", json={"prompt": prompt, "duration_s": CLIP_S}, headers=self.headers, catch_response=True
        ) as response:
            if response.status_code != 202:
                response.failure(f"{response.status_code} {response.text[:200]}")
                return
            video = response.json()
        submitted = time.perf_counter()
        while video["status"] not in ("ready", "failed"):
            time.sleep(1.0)  # jobs.js polls about once a second (gevent-patched: yields to other users)
            with self.client.get(
                f"/api/videos/{video['id']}", headers=self.headers, name="/api/videos/[id]", catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"{response.status_code} {response.text[:200]}")
                    return
                video = response.json()
        # The clip's own line in the table: submit -> ready as the author's poll saw it.
        events.request.fire(
            request_type="CLIP",
            name="submit -> ready",
            response_time=(time.perf_counter() - submitted) * 1000,
            response_length=0,
            exception=None if video["status"] == "ready" else RuntimeError(f"clip failed: {video}"),
            context={},
        )
        if video["status"] == "ready":
            self.client.post(
                f"/api/videos/{video['id']}/publish", headers=self.headers, name="/api/videos/[id]/publish"
            )

    tasks = [_task]
