"""Wake-ups between processes and hosts (`FIGMENT_SHARED_STATE=redis`).

A worker on a GPU host stores a "video ready" notification; the author's live stream is held by a web
process elsewhere. The relay PUBLISHes the recipient's id on a Redis channel after the commit, and a
listener thread in every process hands what it hears to its own `NotificationHub`. A published clip
goes out the same way on a second channel, so every process's similar-clips index reads it at its next
use instead of at its next periodic refresh. Like the hub, the relay carries only "look again": the
tables stay the truth, and if Redis is unreachable streams find new rows at their fallback poll
(notifications.routes) and indexes at their refresh (feed.vector_index).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from figment.notifications.hub import NotificationHub

log = logging.getLogger(__name__)
RECONNECT_S = 1.0


class RedisWakeRelay:
    def __init__(
        self,
        hub: NotificationHub,
        *,
        redis_url: str,
        channel: str,
        on_clip_published: Callable[[], None] = lambda: None,
    ) -> None:
        import redis  # only deployments that share state need the client

        self._redis = redis
        self.hub = hub
        self.channel = channel
        self.clips_channel = channel + ":clips"
        self._on_clip_published = on_clip_published
        self._client: Any = redis.Redis.from_url(redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)
        # The listener blocks on its socket; it gets a client of its own without the short read timeout.
        self._listen_client: Any = redis.Redis.from_url(redis_url, socket_connect_timeout=0.5)
        self._stop = threading.Event()
        self._subscribed = threading.Event()
        self._thread: threading.Thread | None = None

    def publish(self, user_id: str) -> None:
        """Wake the user's streams here at once, and in every other process through Redis."""
        self.hub.publish(user_id)
        try:
            self._client.publish(self.channel, user_id)
        except (self._redis.RedisError, OSError) as error:
            log.warning("wake-up relay unreachable (%s): other processes' streams wait for their poll", error)

    def clip_published(self) -> None:
        """A clip became public: refresh this process's index soon, and every other process's."""
        self._on_clip_published()
        try:
            self._client.publish(self.clips_channel, "1")
        except (self._redis.RedisError, OSError) as error:
            log.warning("wake-up relay unreachable (%s): other processes' indexes wait for their refresh", error)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._listen, name="figment-wake-relay", daemon=True)
        self._thread.start()

    def wait_subscribed(self, timeout: float) -> bool:
        """True once the listener hears the channel (tests; a start that must not miss a wake-up)."""
        return self._subscribed.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _listen(self) -> None:
        while not self._stop.is_set():
            pubsub = self._listen_client.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.subscribe(self.channel, self.clips_channel)
                self._subscribed.set()
                while not self._stop.is_set():
                    message = pubsub.get_message(timeout=0.5)
                    if message is None or message.get("type") != "message":
                        continue
                    if _text(message["channel"]) == self.clips_channel:
                        self._on_clip_published()
                    else:
                        self.hub.publish(_text(message["data"]))
            except (self._redis.RedisError, OSError) as error:
                self._subscribed.clear()
                log.warning("wake-up relay lost Redis (%s); listening again in %.0f s", error, RECONNECT_S)
                self._stop.wait(RECONNECT_S)
            finally:
                pubsub.close()


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
