"""Everything the app needs at run time, built once from Settings (never at import time)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from figment import events
from figment.db import make_engine, make_session_factory
from figment.embeddings import Embedder, make_embedder
from figment.errors import ValidationFailed
from figment.feed.cache import make_cache
from figment.feed.ranking import ForYouRanker, Ranker
from figment.feed.recommend import Recommender
from figment.feed.signals import SignalBuffer
from figment.feed.view_reranks import ViewReranks
from figment.generation.backends.procedural import concepts
from figment.generation.backends.procedural.concepts import ConceptFinder
from figment.generation.checks import Checks
from figment.generation.registry import HOSTED_BACKENDS, backend_availability, load_backend
from figment.generation.types import Backend
from figment.generation.worker import WorkerContext, render_handler
from figment.jobs import purge
from figment.jobs.models import JobKind, render_placement
from figment.jobs.runner import JobRunner, atomic_task_handler, task_handler
from figment.jobs.transport import Workers, make_workers
from figment.likeness import verification
from figment.likeness.output_check import FaceScreen
from figment.likeness.restrictions import RestrictionMatcher
from figment.likeness.uses import LikenessUses
from figment.notifications.hub import NotificationHub
from figment.notifications.relay import RedisWakeRelay
from figment.profiles import avatars
from figment.provenance.credentials import ContentCredentials, load_keys
from figment.rights import imports
from figment.rights.screening import RightsScreen
from figment.safety.moderation import Moderator
from figment.safety.nudity import NudityCheck
from figment.safety.public_figures import PublicFigures, load_figures
from figment.safety.ratelimit import AbuseLimits
from figment.search.service import Searcher
from figment.settings import Settings
from figment.storage.base import BlobStore
from figment.storage.local import LocalBlobStore
from figment.videos.service import SubmitLimits


@dataclass
class Services:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    storage: BlobStore
    hub: NotificationHub
    embedder: Embedder
    ranker: Ranker
    # Runs claimed jobs by kind; `workers` serve this process's queues through the configured transport.
    runner: JobRunner
    workers: Workers
    # What render jobs render with (tests swap its backend, storage or hooks).
    render: WorkerContext
    checks: Checks
    rights: RightsScreen
    recommender: Recommender
    credentials: ContentCredentials
    abuse: AbuseLimits
    likeness: LikenessUses
    # Search reads the feed's similar-clips index (one copy of the vectors) and the app's embedder.
    search: Searcher
    # The configured video backend; features read what it can do from its capabilities.
    backend: Backend
    # Every backend an author may pick (FIGMENT_BACKENDS), the default first, by name.
    backends: dict[str, Backend]
    # Carries wake-ups to other processes and hosts (FIGMENT_SHARED_STATE=redis); None: this process only.
    relay: RedisWakeRelay | None = None

    def submit_limits(self, backend: str | None = None) -> SubmitLimits:
        """What a new clip may be and where its render job waits: the queue of the backend the author
        picked (None: the instance's default). An unknown or disabled name is refused, listing the
        enabled ones."""
        name = backend or self.settings.backend
        chosen = self.backends.get(name)
        if chosen is None:
            raise ValidationFailed(
                f"The video model {str(name)[:40]!r} is not enabled on this server; "
                f"choose one of {', '.join(self.backends)}.",
                field="backend",
            )
        availability = backend_availability(name, self.settings)
        if not availability.can_run:
            # The operator learns why from `figment backends`; the author, that it cannot render now.
            raise ValidationFailed(
                f"The {name} video model cannot render on this server right now; choose another one.",
                field="backend",
            )
        queue, priority = render_placement(needs_gpu=chosen.capabilities.needs_gpu, hosted=name in HOSTED_BACKENDS)
        return SubmitLimits(
            width=self.settings.video_width,
            height=self.settings.video_height,
            max_attempts=self.settings.job_max_attempts,
            daily_quota=self.settings.daily_quota,
            queue=queue,
            priority=priority,
            backend=name,
            max_duration_s=chosen.capabilities.max_duration_s,
            supports_likeness=chosen.capabilities.supports_likeness,
        )

    def start(self) -> None:
        if self.relay is not None:
            self.relay.start()
        self.workers.start()
        self.recommender.signals.start()

    def close(self) -> None:
        if self.relay is not None:
            self.relay.stop()
        self.workers.stop()
        self.recommender.signals.stop()
        self.engine.dispose()


def make_store(settings: Settings) -> BlobStore:
    if settings.storage == "s3":
        # Imported here: boto3 is only needed where media lives in a bucket.
        from figment.storage.s3 import S3BlobStore

        store = S3BlobStore(
            bucket=settings.s3_bucket,
            endpoint=settings.s3_endpoint or None,
            region=settings.s3_region,
            access_key=settings.s3_access_key or None,
            secret_key=settings.s3_secret_key or None,
            prefix=settings.s3_prefix,
        )
        store.check_bucket()
        return store
    return LocalBlobStore(settings.media_dir)


def build_services(settings: Settings, *, worker_queues: Collection[str] | None = None) -> Services:
    """`worker_queues`: the queues this process's workers serve (`figment worker --queue`); None: the
    queue of the configured backend, which also carries every CPU task."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url, sqlite_busy_timeout_s=settings.sqlite_busy_timeout_s)
    session_factory = make_session_factory(engine)
    storage = make_store(settings)
    hub = NotificationHub()
    # The one sentence embedder: moderation, rights, likeness restrictions and the feed share its weights.
    embedder = make_embedder(settings.embedder)
    # The CPU renderer's nearest-concept fallback reads unlisted words with the same weights; the hash
    # stand-in has no meaning across words, so with it the fallback is off (words stay "not understood").
    concepts.use_finder(
        ConceptFinder(embedder) if settings.embedder == "use" else None, disabled=settings.embedder != "use"
    )
    # Features that may refuse a clip (rights, safety, likeness) register their checks here.
    # Named reasons, cheapest first: a public figure, moderation (lexicon, then embeddings), then
    # registered works; frames: nudity, then reference images of works.
    checks = Checks(
        prompt=[PublicFigures(load_figures(settings.public_figures_file)).check, Moderator(embedder=embedder).check],
        frames=[NudityCheck().check] if settings.nudity_check else [],
    )
    rights = RightsScreen(session_factory=session_factory, mode=settings.rights_default, embedder=embedder)
    checks.prompt.append(rights.check_prompt)
    checks.frames.append(rights.check_frames)
    if settings.likeness_output_check:
        checks.frames.append(FaceScreen(session_factory=session_factory).check)
    backends = {name: load_backend(name, settings) for name in settings.enabled_backends}
    backend = backends[settings.backend]
    likeness = LikenessUses(
        matcher=RestrictionMatcher(embedder),
        storage=storage,
        session_factory=session_factory,
        # Any enabled model that can: submit then checks the model the author picked (videos.service).
        backend_supports_likeness=any(b.capabilities.supports_likeness for b in backends.values()),
    )
    credentials = ContentCredentials(
        load_keys(
            data_dir=settings.data_dir,
            cert_path=settings.c2pa_cert,
            key_path=settings.c2pa_key,
            anchors_path=settings.c2pa_trust_anchors,
        ),
        tsa_url=settings.c2pa_tsa_url,
    )
    context = WorkerContext(
        session_factory=session_factory,
        storage=storage,
        backend=backend,
        hooks=likeness,
        lease_s=settings.job_lease_s,
        fps=settings.video_fps,
        checks=checks,
        credentials=credentials,
        retry_base_s=settings.job_retry_base_s,
        render_timeout_s=settings.render_timeout_s,
        tmp_dir=settings.render_tmp_dir,
        # Only the others: a test that swaps `render.backend` keeps rendering the default's clips with it.
        backends={name: other for name, other in backends.items() if name != settings.backend},
        # A finished avatar still becomes its author's avatar in the transaction that marks it ready.
        on_ready=[avatars.avatar_ready],
    )
    # Someone waits on screen for a verification or an import: their retries come sooner.
    interactive_retry_s = settings.job_retry_base_s / 5
    runner = JobRunner(
        session_factory,
        lease_s=settings.job_lease_s,
        handlers={
            JobKind.render: render_handler(context),
            JobKind.verify_likeness: task_handler(
                session_factory,
                lambda payload: verification.check_recording(
                    session_factory=session_factory, storage=storage, attempt_id=str(payload["attempt_id"])
                ),
                on_failed=lambda session, payload, _error: verification.check_failed(
                    session=session, storage=storage, attempt_id=str(payload["attempt_id"])
                ),
                retry_base_s=interactive_retry_s,
            ),
            JobKind.purge_blobs: task_handler(
                session_factory,
                lambda payload: purge.purge(storage, payload),
                retry_base_s=settings.job_retry_base_s,
            ),
            JobKind.import_rights: atomic_task_handler(
                session_factory,
                lambda session, payload: imports.run_import(
                    session, payload, embedder=embedder, mode=settings.rights_default
                ),
                lease_s=settings.job_lease_s,
                shed=imports.spent,
                retry_base_s=interactive_retry_s,
            ),
        },
    )
    # By default a process serves the queues of every enabled backend, the default's first.
    queues = worker_queues or list(
        dict.fromkeys(
            render_placement(needs_gpu=b.capabilities.needs_gpu, hosted=name in HOSTED_BACKENDS)[0]
            for name, b in backends.items()
        )
    )
    workers, announce = make_workers(settings, runner, queues=queues, threads=settings.workers)
    ranker = ForYouRanker()
    cache = make_cache(
        settings.feed_cache,
        redis_url=settings.redis_url,
        ttl_s=settings.feed_cache_ttl_s,
        prefix=settings.feed_cache_prefix,
    )

    view_reranks = ViewReranks(cache.bump, every_s=settings.feed_view_rerank_s)

    recommender = Recommender(
        ranker=ranker,
        embedder=embedder,
        cache=cache,
        signals=SignalBuffer(
            session_factory,
            flush_every_s=settings.signal_flush_s,
            on_flush=view_reranks.viewed,
            on_tick=view_reranks.tick,
        ),
        view_reranks=view_reranks,
    )

    relay = (
        RedisWakeRelay(
            hub,
            redis_url=settings.redis_url,
            channel=settings.shared_state_prefix + "wake",
            # Looked up when called, not bound now, so the recommender stays replaceable (tests do).
            on_clip_published=lambda: recommender.published(),
        )
        if settings.shared_state == "redis"
        else None
    )

    def after_commit(happened: list[events.Event]) -> None:
        """The one place where committed events meet this process's caches, workers and live streams."""
        for event in happened:
            match event:
                case events.UserNotified(user_id=user_id):
                    (relay or hub).publish(user_id)
                case events.Engaged(user_id=user_id):
                    recommender.signal(user_id)
                case events.FeedRulesChanged(user_id=user_id):
                    cache.bump(user_id)
                case events.JobQueued(queue=queue):
                    workers.wake(queue)
                case events.ClipPublished():
                    if relay is not None:
                        relay.clip_published()
                    else:
                        recommender.published()

    events.install(session_factory, after_commit, before_commit=announce)
    return Services(
        likeness=likeness,
        search=Searcher(embedder=embedder, index=recommender.index, session_factory=session_factory),
        backend=backend,
        backends=backends,
        relay=relay,
        settings=settings,
        engine=engine,
        session_factory=session_factory,
        storage=storage,
        hub=hub,
        embedder=embedder,
        ranker=ranker,
        runner=runner,
        workers=workers,
        render=context,
        checks=checks,
        rights=rights,
        recommender=recommender,
        credentials=credentials,
        abuse=AbuseLimits(
            signup_per_hour=settings.signup_per_hour,
            login_per_minute=settings.login_per_minute,
            failures_before_pause=settings.login_failures_before_pause,
            redis_url=settings.redis_url if settings.shared_state == "redis" else None,
            prefix=settings.shared_state_prefix + "limits:",
        ),
    )
