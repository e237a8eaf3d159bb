"""The one Settings object. Nothing else in Figment reads environment variables."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from figment.generation.registry import KNOWN_BACKENDS

DEV_SECRET = "dev-insecure-secret-change-me"  # nosec B105  # a placeholder; FIGMENT_ENV=prod refuses it


class Settings(BaseSettings):
    # validate_by_name: Settings(embedder=...) in code; the alias list is for the environment.
    model_config = SettingsConfigDict(env_prefix="FIGMENT_", extra="ignore", validate_by_name=True)

    env: Literal["dev", "test", "prod"] = "dev"
    data_dir: Path = Path("./data")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # App processes behind the one port (`figment run`); more than one needs the Redis feed cache.
    web_processes: int = Field(default=1, ge=1, le=64)
    # Empty means "SQLite file inside data_dir"; see `resolved_database_url`.
    database_url: str = ""
    # SQLite: how long a write waits for another connection's write lock before the request gives up
    # (a 503 "The database is busy"); PostgreSQL waits on row locks instead.
    sqlite_busy_timeout_s: float = Field(default=30.0, ge=0)
    demo: bool = True
    secret_key: str = DEV_SECRET
    # Worker threads inside the app process that claim generation jobs (0 = none: jobs wait
    # for `figment worker` or another process).
    workers: int = Field(default=1, ge=0, le=32)
    job_lease_s: float = Field(default=60.0, gt=0)
    job_max_attempts: int = Field(default=3, ge=1)
    # A failed try is retried after this many seconds, doubling each time (at most 15 min): an outage
    # (the bucket, a model server) gets time to end instead of using up the attempts at once. 0 = at once.
    job_retry_base_s: float = Field(default=10.0, ge=0)
    job_poll_s: float = Field(default=1.0, gt=0)
    # A render whose video model makes no progress (no frame, no return from generate) for this long is
    # stopped and retried like any failed try (generation.worker). Generous for the CPU renderer; a
    # GPU model that computes a whole clip before its first frame may need more.
    render_timeout_s: float = Field(default=600.0, gt=0)
    # Where renders write their files before they are stored. Unset: data_dir/tmp, so a full data disk
    # is met (and reported) while encoding, and the system temp folder (often RAM) is not filled.
    tmp_dir: Path | None = None
    # What carries jobs to workers: the lease loop (polls the job table; SQLite or PostgreSQL, nothing
    # else to run) or Procrastinate (PostgreSQL LISTEN/NOTIFY, queues and priorities; docs/DEPLOY.md).
    jobs: Literal["lease", "procrastinate"] = "lease"
    # Job threads run this many nice levels below web requests (Linux), so a render on the same machine
    # takes idle cycles rather than a feed page's (jobs.priority); 0 = the same priority.
    worker_nice: int = Field(default=10, ge=0, le=19)
    # Procrastinate: a worker silent this long is stalled; its jobs run again once their leases end.
    job_stalled_after_s: float = Field(default=30.0, ge=1)
    # Procrastinate: how often a worker sweeps for jobs to announce again (seconds, 1-59).
    job_sweep_s: int = Field(default=5, ge=1, le=59)
    # Every clip is 9:16; tests shrink it to stay fast, production keeps 720x1280.
    video_width: int = 720
    video_height: int = 1280
    video_fps: int = 24
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    cookie_secure: bool = False
    # The address people reach Figment at (https://figment.example, no trailing slash needed): link
    # previews (Open Graph tags on clip and profile pages) need absolute URLs. Empty = the request's base
    # URL, which is right unless a proxy in front rewrites the host or scheme.
    public_url: str = Field(default="", pattern=r"^(https?://[^\s/?#]+(/[^\s?#]*)?)?$", max_length=300)
    language: Literal["en", "it"] = "en"
    # opt_out: registered works are refused only when their holder opted them out; opt_in: a registered
    # work is refused unless its holder chose licensed or allowed (README: "Rights: opt-out or opt-in").
    rights_default: Literal["opt_out", "opt_in"] = "opt_out"
    # For You: where ranked lists live (memory = this process; redis = shared between processes).
    feed_cache: Literal["memory", "redis"] = "memory"
    redis_url: str = "redis://127.0.0.1:6379/0"
    feed_cache_ttl_s: float = Field(default=180.0, gt=0)
    # Key prefix in Redis, so that several deployments (or test runs) can share one server.
    feed_cache_prefix: str = Field(default="figment:feed:", min_length=1, max_length=100)
    # Sentence embeddings for every feature that compares meanings (moderation, rights descriptions,
    # likeness restrictions, the feed): the multilingual encoder, or a hashing stand-in without a model
    # (benchmarks that fabricate clips; no meaning across words). One setting, so one model in memory;
    # FIGMENT_FEED_EMBEDDER and FIGMENT_LIKENESS_EMBEDDER are its former names and still read.
    embedder: Literal["use", "hash"] = Field(
        default="use",
        validation_alias=AliasChoices("FIGMENT_EMBEDDER", "FIGMENT_FEED_EMBEDDER", "FIGMENT_LIKENESS_EMBEDDER"),
    )
    signal_flush_s: float = Field(default=0.5, gt=0)
    # Views re-rank a viewer's For You at most once per this many seconds (feed.view_reranks); likes,
    # follows, "see less" and steering re-rank at once. 0 = after every flush of views.
    feed_view_rerank_s: float = Field(default=15.0, ge=0)
    # C2PA signing: a PEM chain (signer first) and its private key. Unset: a development CA is
    # created under data_dir/c2pa on first run (valid, trusted only by this instance).
    c2pa_cert: Path | None = None
    c2pa_key: Path | None = None
    # PEM file of CAs whose signatures count as "trusted" in the provenance check (add the TSA's root
    # here too for its time-stamps to count as trusted).
    c2pa_trust_anchors: Path | None = None
    # RFC 3161 time-stamp authority: every signature gets a trusted time-stamp from it, so it stays
    # valid after the signing certificate expires. Empty = no time-stamp. Unreachable at signing: the
    # file is signed without one and a warning is logged.
    c2pa_tsa_url: str = Field(default="", pattern=r"^(https?://\S+)?$", max_length=500)
    # Generations per user per UTC day; 0 = unlimited.
    daily_quota: int = Field(default=30, ge=0)
    # Per client IP: signups per hour, logins per minute; failed logins per account before a pause.
    signup_per_hour: int = Field(default=10, ge=0)
    login_per_minute: int = Field(default=20, ge=0)
    login_failures_before_pause: int = Field(default=5, ge=1)
    # State that several app processes and hosts must share: rate-limit windows and login pauses (so a
    # limit trips at its count, not at count x processes) and live-notification wake-ups (so a stream on
    # one web process wakes when a worker elsewhere finishes a clip). memory = this process only;
    # redis = FIGMENT_REDIS_URL, under the prefix.
    shared_state: Literal["memory", "redis"] = "memory"
    shared_state_prefix: str = Field(default="figment:shared:", min_length=1, max_length=100)
    # A JSON file of more public figures (same format as safety/data/public_figures.json).
    public_figures_file: Path | None = None
    # The youngest age at which a person may sign up (README "Age": some laws set it higher, e.g. 14 in
    # Italy for consenting to data processing). Signup requires a date of birth.
    min_age: int = Field(default=13, ge=0, le=21)
    # Clips an under-18 account may see in its feed per UTC day; 0 = no limit.
    teen_daily_feed_items: int = Field(default=100, ge=0)
    # Off only in tests that render thousands of frames; every real clip is checked.
    nudity_check: bool = True
    # Likeness: faces in rendered frames matched against verified likenesses (issue 4, item 8).
    likeness_output_check: bool = True
    # Where media lives: the data folder (local) or an S3-compatible bucket shared by every host (s3).
    storage: Literal["local", "s3"] = "local"
    s3_endpoint: str = ""  # empty = AWS itself; otherwise the server's URL (http://127.0.0.1:9000)
    s3_bucket: str = ""
    s3_region: str = "us-east-1"
    s3_access_key: str = ""
    s3_secret_key: str = ""
    s3_prefix: str = ""  # a folder inside the bucket, so several deployments can share one
    # How long a presigned clip or poster URL works. Browsers fetch ranges of a clip as it plays, so it
    # must outlast a viewing; the redirect to it is cached for less (videos.routes).
    s3_url_ttl_s: int = Field(default=900, ge=60, le=7 * 24 * 3600)

    # ---- video backends (generation.registry; docs/MODELS.md) ----
    # The instance's default video model, and the ones an author may pick on the create page
    # (comma-separated, e.g. "procedural,openai-videos"; empty = only FIGMENT_BACKEND).
    backend: str = Field(default="procedural", max_length=32)
    backends: str = Field(default="", max_length=500)
    # openai-videos: any provider serving the OpenAI /v1/videos shapes. The base URL ends before /videos
    # (https://gateway.example/v1). Sizes: the WxH the provider accepts (the portrait ones are used, the
    # clip is scaled and cropped to the instance's 9:16 size); seconds: the lengths it accepts.
    openai_videos_base_url: str = Field(default="", pattern=r"^(https?://[^\s?#]+)?$", max_length=500)
    openai_videos_api_key: SecretStr = SecretStr("")
    openai_videos_model: str = Field(default="", max_length=100)
    openai_videos_sizes: str = Field(default="720x1280", max_length=200)
    openai_videos_seconds: str = Field(default="4,8,12", max_length=100)
    # A provider job not finished after this long is given up (and the try counts as failed); it must end
    # before FIGMENT_RENDER_TIMEOUT_S, which stops any render that makes no progress.
    openai_videos_timeout_s: float = Field(default=480.0, gt=0)
    # Seconds between status polls, unless the provider asks for another pace (openai-poll-after-ms).
    openai_videos_poll_s: float = Field(default=5.0, gt=0)
    # veo: Google Veo through google-genai (the `hosted` extra) on Vertex AI with an API key (express mode).
    # The base URL is empty for Google's own endpoint; set it for a gateway (or a test server).
    veo_api_key: SecretStr = SecretStr("")
    veo_model: str = Field(default="veo-3.0-generate-001", min_length=1, max_length=100)
    veo_base_url: str = Field(default="", pattern=r"^(https?://[^\s?#]+)?$", max_length=500)
    veo_resolution: Literal["720p", "1080p"] = "720p"
    veo_seconds: str = Field(default="4,6,8", max_length=100)
    # Whether Veo may draw people: empty = the provider's default for the account and region.
    veo_person_generation: Literal["", "dont_allow", "allow_adult", "allow_all"] = ""
    veo_timeout_s: float = Field(default=480.0, gt=0)
    veo_poll_s: float = Field(default=10.0, gt=0)

    @field_validator("backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if value not in KNOWN_BACKENDS:
            raise ValueError(f"FIGMENT_BACKEND must be one of {', '.join(KNOWN_BACKENDS)} but is {value!r}")
        return value

    @field_validator("backends")
    @classmethod
    def _known_backends(cls, value: str) -> str:
        unknown = [name for name in split_list(value) if name not in KNOWN_BACKENDS]
        if unknown:
            raise ValueError(f"FIGMENT_BACKENDS names unknown backends {unknown}; known: {', '.join(KNOWN_BACKENDS)}")
        return value

    @field_validator("openai_videos_sizes")
    @classmethod
    def _sizes(cls, value: str) -> str:
        sizes = parse_sizes(value)  # raises naming the bad item
        if not any(h > w for w, h in sizes):
            raise ValueError(f"FIGMENT_OPENAI_VIDEOS_SIZES needs a portrait size (height > width) but is {value!r}")
        return value

    @field_validator("openai_videos_seconds", "veo_seconds")
    @classmethod
    def _seconds(cls, value: str) -> str:
        parse_seconds(value)
        return value

    # Video models (docs/MODELS.md). Weights live under models_dir/<backend> (`figment models pull NAME`);
    # unset: data_dir/models. The hub is only asked by `models pull`; a backend never downloads at run time.
    models_dir: Path | None = None
    models_hub_url: str = Field(default="https://huggingface.co", pattern=r"^https?://\S+$", max_length=300)
    models_hub_token: str = ""  # for gated repositories; empty: anonymous
    # The repositories `models pull` fetches (diffusers layout).
    ltx2_repo: str = Field(default="Lightricks/LTX-2", pattern=r"^[\w.-]+/[\w.-]+$")
    wan_repo: str = Field(default="Wan-AI/Wan2.2-TI2V-5B-Diffusers", pattern=r"^[\w.-]+/[\w.-]+$")
    # Where the model runs: cuda (refused without a GPU) or cpu (for checks only: minutes per step).
    model_device: Literal["cuda", "cpu"] = "cuda"
    # bfloat16 halves memory against float32 with no visible loss on these models; float32 for CPU checks.
    model_dtype: Literal["bfloat16", "float16", "float32"] = "bfloat16"
    # none: the whole pipeline on the GPU (48-80 GB cards); model: each component moved in when used
    # (24-48 GB); sequential: layer by layer (smallest cards, several times slower).
    model_offload: Literal["none", "model", "sequential"] = "none"
    # Decode the video in tiles: a 10 s clip's VAE decode otherwise peaks well above the denoising.
    model_vae_tiling: bool = True
    # Denoising steps per clip (more: finer detail, linearly slower).
    ltx2_steps: int = Field(default=40, ge=1, le=200)
    wan_steps: int = Field(default=40, ge=1, le=200)

    @field_validator("video_width", "video_height")
    @classmethod
    def _even(cls, value: int) -> int:
        if value <= 0 or value % 2:
            raise ValueError(f"video size must be a positive even number but is {value}")
        return value

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.video_width * 16 != self.video_height * 9:
            raise ValueError(f"video size must be 9:16 but is {self.video_width}x{self.video_height}")
        if self.env == "prod" and self.secret_key == DEV_SECRET:
            raise ValueError("FIGMENT_SECRET_KEY must be set to a real secret when FIGMENT_ENV=prod")
        if self.storage == "s3" and not self.s3_bucket:
            raise ValueError("FIGMENT_STORAGE=s3 needs FIGMENT_S3_BUCKET (and FIGMENT_S3_ENDPOINT unless on AWS)")
        if self.jobs == "procrastinate" and not self.resolved_database_url.startswith("postgresql"):
            raise ValueError("FIGMENT_JOBS=procrastinate needs PostgreSQL: set FIGMENT_DATABASE_URL=postgresql://...")
        for name, timeout_s in (("openai-videos", self.openai_videos_timeout_s), ("veo", self.veo_timeout_s)):
            if name in self.enabled_backends and timeout_s >= self.render_timeout_s:
                setting = f"FIGMENT_{name.upper().replace('-', '_')}_TIMEOUT_S"
                raise ValueError(
                    f"{setting} ({timeout_s:g}) must be below FIGMENT_RENDER_TIMEOUT_S ({self.render_timeout_s:g}): "
                    "the render watchdog would stop the job before the provider's own deadline"
                )
        if self.web_processes > 1 and self.feed_cache == "memory":
            raise ValueError(
                "FIGMENT_WEB_PROCESSES above 1 needs FIGMENT_FEED_CACHE=redis: with the memory cache each "
                "process keeps its own feed lists and a viewer would see clips again"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'figment.db').resolve()}"

    @property
    def enabled_backends(self) -> tuple[str, ...]:
        """The backends an author may pick, the default first."""
        names = [self.backend, *split_list(self.backends)]
        return tuple(dict.fromkeys(names))

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def resolved_models_dir(self) -> Path:
        return self.models_dir if self.models_dir is not None else self.data_dir / "models"

    @property
    def render_tmp_dir(self) -> Path:
        return self.tmp_dir if self.tmp_dir is not None else self.data_dir / "tmp"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")


def split_list(value: str) -> list[str]:
    """"a, b,,c" -> ["a", "b", "c"]: comma-separated settings."""
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_sizes(value: str) -> tuple[tuple[int, int], ...]:
    """"720x1280,1024x1792" -> ((720, 1280), (1024, 1792)); a bad item is named."""
    sizes = []
    for item in split_list(value):
        width, sep, height = item.lower().partition("x")
        if not sep or not width.isdigit() or not height.isdigit() or int(width) <= 0 or int(height) <= 0:
            raise ValueError(f"a size must be WIDTHxHEIGHT in pixels, like 720x1280, but is {item!r}")
        sizes.append((int(width), int(height)))
    if not sizes:
        raise ValueError("at least one size is needed, like 720x1280")
    return tuple(sizes)


def parse_seconds(value: str) -> tuple[int, ...]:
    """"4,8,12" -> (4, 8, 12): the clip lengths a provider accepts, whole seconds."""
    seconds = []
    for item in split_list(value):
        if not item.isdigit() or not 0 < int(item) <= 60:
            raise ValueError(f"a length must be whole seconds between 1 and 60 but is {item!r}")
        seconds.append(int(item))
    if not seconds:
        raise ValueError("at least one length is needed, like 4,8")
    return tuple(sorted(set(seconds)))


def random_secret() -> str:
    return secrets.token_urlsafe(32)
