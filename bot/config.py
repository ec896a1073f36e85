"""All of GreenGuide's configuration, in one typed object.

Settings come from the environment and `.env`. Names people already know are read as they
are (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, `TELEGRAM_BOT_TOKEN`, `TELEGRAM_BASE_URL`,
`CHROMA_URL`, `ADMIN_USER_IDS`); everything else uses the `GREENBOT_` prefix with `__`
between a group and its field, e.g. `GREENBOT_RETRIEVAL__TOP_K=8`.

The command line loads `Settings()` once and passes each component only its own group.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from bot.errors import ConfigError

# Well-known environment names → (group, field) they set.
WELL_KNOWN_NAMES: dict[str, tuple[str, str]] = {
    "OPENAI_API_KEY": ("llm", "api_key"),
    "OPENAI_BASE_URL": ("llm", "base_url"),
    "CHROMA_URL": ("retrieval", "chroma_url"),
    "TELEGRAM_BOT_TOKEN": ("telegram", "token"),
    "TELEGRAM_BASE_URL": ("telegram", "base_url"),
    "ADMIN_USER_IDS": ("telegram", "admin_user_ids"),
}


class PathSettings(BaseModel):
    """Where content and state live. Paths set in the environment are taken from the working
    directory; the defaults from the project folder (the one holding knowledge/topics.yaml), found
    from the working directory upwards, so a command run from inside knowledge/ still works and
    never makes a stray data/ folder there."""

    knowledge_dir: Path = Path("knowledge")
    prompts_dir: Path = Path("prompts")
    eval_dir: Path = Path("eval")
    data_dir: Path = Path("data")

    def located(self, start: Path) -> PathSettings:
        """These paths with the defaults anchored at the project folder at or above `start`."""
        defaults = [name for name in type(self).model_fields if name not in self.model_fields_set]
        if not defaults:
            return self
        project = next((folder for folder in (start, *start.parents) if (folder / "knowledge" / "topics.yaml").is_file()), None)
        if project is None:
            raise ConfigError(f"no knowledge/ folder in {start} or above it: run greenbot from the project folder (the one with knowledge/ and prompts/)")
        return self.model_copy(update={name: project / getattr(self, name) for name in defaults})


class LLMSettings(BaseModel):
    """An OpenAI-compatible server; with no key and no base URL the bot answers offline."""

    api_key: SecretStr | None = None
    base_url: str | None = None
    answer_model: str = "gpt-4o-mini"
    utility_model: str | None = None  # condensing and query translation; defaults to answer_model
    embedding_model: str = "text-embedding-3-small"
    transcription_model: str | None = None  # e.g. "whisper-1": voice notes are transcribed when set
    temperature: float = Field(default=0.1, ge=0, le=2)
    timeout_s: float = Field(default=30.0, gt=0)  # one call, until its reply is complete
    max_retries: int = Field(default=2, ge=0)  # a refused connection, a timeout, 429 and 5xx are tried again
    retry_backoff_s: float = Field(default=0.5, gt=0)  # first wait between tries (or the server's Retry-After); it doubles
    deadline_s: float = Field(
        default=20.0, gt=0
    )  # from the question: every model call of its answer, retries included, is over by then; then the offline answer
    helper_deadline_s: float = Field(default=5.0, gt=0)  # condensing a follow-up or translating the query, each, out of deadline_s
    stream_every_s: float = Field(default=0.25, ge=0)  # a streamed reply is handed to the pipeline at most this often
    max_completion_tokens: int = Field(default=600, ge=16)
    prompt_token_budget: int = Field(default=2500, ge=256)  # for English; scaled per language below
    max_prompt_tokens: int = Field(default=12000, ge=256)  # the model's context, minus the completion
    language_budget_factor: dict[str, float] = {"th": 2.0, "lo": 2.5, "km": 3.0, "my": 3.0, "vi": 1.4}
    record_file: Path | None = None  # save every model response here (bot/llm/recording.py) ...
    replay_file: Path | None = None  # ... and answer from such a file later, with no model server
    price_per_1k_prompt_usd: float = 0.00015
    price_per_1k_completion_usd: float = 0.0006

    def token_budget(self, lang: str) -> int:
        """Prompt tokens allowed for an answer in `lang`: scripts that cost more tokens per
        sentence get proportionally more, so a Thai answer sees as much text as an English one."""
        return min(self.max_prompt_tokens, int(self.prompt_token_budget * self.language_budget_factor.get(lang, 1.0)))

    @property
    def configured(self) -> bool:
        """True when a model server is reachable in principle (a key or a local base URL), or replayed."""
        return self.api_key is not None or self.base_url is not None or self.replay_file is not None


class RetrievalSettings(BaseModel):
    """The index and hybrid search. The weights were chosen on the development half of
    tests/data/retrieval_questions.yaml (bench/retrieval_quality.py measures the test half)."""

    chroma_url: str | None = None
    collection: str = "knowledge"
    embedding_provider: Literal["local", "openai"] = "local"
    embedding_threads: int = Field(default=2, ge=1)
    passage_tokens: int = Field(default=120, ge=20)  # a passage: consecutive sentences of one section, at most this long
    passage_sentences: int = Field(default=3, ge=1)  # ... and at most this many sentences
    top_k: int = Field(default=5, ge=1)  # passages per answer, each from a different section
    candidates: int = Field(default=60, ge=1)  # passages each ranked list contributes to the fusion
    fusion: Literal["rrf", "convex"] = "rrf"  # weighted reciprocal ranks, or weighted scores scaled to 0..1 per list
    rrf_k: int = Field(default=30, ge=1)  # below the usual 60: a passage ranked first by one list counts for more (development half)
    dense_weight: float = Field(default=1.0, ge=0)  # weight of the dense list in the fusion
    lexical_weight: float = Field(default=1.0, ge=0)  # weight of the BM25 list
    synonym_weight: float = Field(default=0.5, ge=0)  # BM25 of the question with the glossary's other forms, in its language, of the terms it uses
    expansion_weight: float = Field(default=0.25, ge=0)  # BM25 of the glossary's English terms of a non-English question
    passage_weight: float = Field(default=0.5, ge=0)  # dense score: mean of the passage's sentence vectors ...
    sentence_weight: float = Field(default=0.5, ge=0)  # ... its best sentence ...
    title_weight: float = Field(default=0.5, ge=0)  # ... and its guide's title
    preference_boost: float = Field(default=0.15, ge=0)  # fused score × (1 + this) for the owner's country, again for the sector
    named_country_boost: float = Field(default=0.6, ge=0)  # … and × (1 + this) for a country the question names
    named_passage_share: float = Field(default=0.5, ge=0, le=1)  # … its share for a passage naming the country, its guide not about it
    preference_list: float = Field(default=0.1, ge=0)  # weight of the owner's (or the named) country's own guides as a ranked list
    figure_boost: float = Field(default=0.2, ge=0)  # fused score × (1 + this) for a passage holding a figure the question types ("2011", "RM 50,000")
    elsewhere_penalty: float = Field(default=0.3, ge=0, le=1)  # fused score × (1 - this) for guides about other countries only
    named_elsewhere_penalty: float = Field(default=0.6, ge=0, le=1)  # … when the question names a country


class Preview(StrEnum):
    """How a private chat sees a model's answer while it is written."""

    DRAFT = "draft"  # a live draft (sendMessageDraft), then the answer as a message of its own
    EDIT = "edit"  # one message edited as it grows, then into the answer: for Bot API servers that refuse drafts
    NONE = "none"  # "typing…" until the answer


class TelegramSettings(BaseModel):
    """The Telegram front end; without a token the bot offers the terminal chat instead.

    With `webhook_url` set the bot receives updates by webhook (Telegram calls
    `webhook_url`, which a proxy forwards to `webhook_listen:webhook_port`); otherwise it polls.
    """

    token: SecretStr | None = None
    base_url: str | None = None  # another Bot API server, e.g. http://127.0.0.1:8081/bot
    concurrent_updates: int = Field(default=256, ge=1)  # chats never wait for each other's model calls
    admin_user_ids: Annotated[frozenset[int], NoDecode] = frozenset()  # may use /stats and /reload; env: "123,456"
    flood_limit_per_s: float = Field(default=30, ge=0)  # outgoing messages a second (Telegram's limit); 0: no limit
    request_timeout_s: float = Field(default=5.0, gt=0)  # each Bot API call, to connect and to read
    retry_budget_s: float = Field(default=30.0, ge=0)  # a call failing with a 5xx or a lost connection is tried again this long
    retry_backoff_s: float = Field(default=0.5, gt=0)  # first wait between tries; it doubles
    preview: Preview = Preview.DRAFT  # groups always see "typing…"; refused drafts switch the bot to EDIT
    draft_every_s: float = Field(default=1.0, gt=0)  # a draft at most this often (after the last one went through) ...
    edit_every_s: float = Field(default=1.5, gt=0)  # ... an edit of the EDIT preview at most this often ...
    preview_min_words: int = Field(default=3, ge=1)  # ... and only once this many words were added
    questions_per_minute: int = Field(default=10, ge=1)
    questions_per_day: int = Field(default=100, ge=1)
    question_starts_per_s: float = Field(default=200, gt=0)  # all users together, after a burst of 10: a poll of 200 no longer stalls the loop
    webhook_url: str | None = None  # public HTTPS URL, e.g. https://bot.example.org/telegram
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    webhook_secret: SecretStr | None = None  # required with webhook_url; Telegram sends it in every request

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        """Accept "123, 456" as well as a JSON list."""
        if isinstance(value, str):
            return json.loads(value) if value.strip().startswith("[") else [p for p in value.replace(" ", "").split(",") if p]
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> TelegramSettings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError("webhook_url needs webhook_secret (letters, digits, _ and -, 1 to 256 characters)")
        return self


class StorageSettings(BaseModel):
    """What the bot keeps about users, and for how long."""

    retention_days: int = Field(default=90, ge=1)  # conversation turns; profiles and feedback stay until /forget


class ComposerSettings(BaseModel):
    """How the offline answer weighs a candidate sentence (pipeline/compose.py). Chosen on the
    development half of tests/data/retrieval_questions.yaml, never on the evaluation suites."""

    meaning: float = Field(default=2.0, ge=0)  # e5 similarity of the sentence to the question
    words: float = Field(default=0.3, ge=0)  # share of the question's words it contains
    retrieval: float = Field(default=0.4, ge=0)  # its passage's retrieval score, as a share of the best hit's
    kind: float = Field(default=0.15, ge=0)  # it holds what is asked: a figure, a name, a step
    context: float = Field(default=0.02, ge=0)  # taken off a sentence from the passage's section, not the passage itself
    points: int = Field(default=3, ge=0)  # supporting points under the direct answer


class PipelineSettings(BaseModel):
    """How questions become answers."""

    history_turns: int = Field(default=3, ge=0)
    max_question_chars: int = Field(default=1500, ge=10)
    min_dense_score: float = Field(default=1.20, ge=0)  # below: retrieval found nothing relevant (passage, best sentence and title, weighted)
    composer: ComposerSettings = ComposerSettings()
    programmes: int = Field(default=3, ge=0)  # open programmes an answer about money or labels names at most


class ProgrammeSettings(BaseModel):
    """The directory of programmes in knowledge/programmes."""

    verify_every_days: int = Field(default=90, ge=1)  # `knowledge check` warns when a programme's last_verified is older


class AlertSettings(BaseModel):
    """What `greenbot alerts send` and `greenbot broadcast` send, and how fast (see README,
    "Alerts and broadcasts")."""

    messages_per_s: float = Field(
        default=30, gt=0
    )  # alerts and broadcasts, evenly paced (Telegram: 30 a second in all; one a second per chat, and a run sends one per chat)
    concurrency: int = Field(default=32, ge=1)  # sends under way at once (each waits its turn in the pace)
    deadline_days: int = Field(default=30, ge=1)  # a programme closing, or a rule taking effect, this many days ahead
    guide_days: int = Field(default=30, ge=1)  # a guide updated this many days back, and since the owner opted in, is news
    max_items: int = Field(default=5, ge=1)  # per kind in one message; the rest are counted
    send_daily_at: dt.time | None = None  # `greenbot run` sends the alerts every day at this UTC time; None: use cron


class EvaluationSettings(BaseModel):
    """How `greenbot eval` runs suites and judges answers."""

    concurrency: int = Field(default=4, ge=1)  # cases answered at once
    judge_model: str | None = None  # defaults to the answer model
    # The day cases are answered on unless one names its own: programmes open and close, and the
    # figures must not move with the calendar. Move it deliberately, and re-bless the baseline.
    today: dt.date = dt.date(2026, 12, 6)


class _WellKnownNames(PydanticBaseSettingsSource):
    """Reads `WELL_KNOWN_NAMES` from the environment and `.env` into their groups."""

    def __init__(self, settings_cls: type[BaseSettings], *found: dict[str, str | None]) -> None:
        super().__init__(settings_cls)
        self._found = found

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        raise NotImplementedError  # __call__ below does the whole job

    def __call__(self) -> dict[str, Any]:
        groups: dict[str, dict[str, str]] = {}
        for name, (group, field) in WELL_KNOWN_NAMES.items():
            for values in self._found:  # environment first, then .env
                value = values.get(name.lower())
                if value:
                    groups.setdefault(group, {})[field] = value
                    break
        return groups


class Settings(BaseSettings):
    """Every setting of the bot, grouped by the component that uses it."""

    model_config = SettingsConfigDict(
        env_prefix="GREENBOT_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="ignore",
    )

    paths: PathSettings = PathSettings()
    llm: LLMSettings = LLMSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    pipeline: PipelineSettings = PipelineSettings()
    telegram: TelegramSettings = TelegramSettings()
    storage: StorageSettings = StorageSettings()
    programmes: ProgrammeSettings = ProgrammeSettings()
    alerts: AlertSettings = AlertSettings()
    evaluation: EvaluationSettings = EvaluationSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Prefixed names win over well-known ones; arguments win over both."""
        found: list[dict[str, str | None]] = []
        if isinstance(env_settings, EnvSettingsSource):
            found.append(dict(env_settings.env_vars))
        if isinstance(dotenv_settings, DotEnvSettingsSource):
            found.append(dict(dotenv_settings.env_vars))
        well_known = _WellKnownNames(settings_cls, *found)
        return init_settings, env_settings, dotenv_settings, well_known, file_secret_settings

    def secrets(self) -> list[str]:
        """The values no log line or message may show: the bot token, the webhook secret, the API key."""
        hidden = (self.telegram.token, self.telegram.webhook_secret, self.llm.api_key)
        return [secret.get_secret_value() for secret in hidden if secret is not None]

    @property
    def database_path(self) -> Path:
        """The one SQLite file for conversations, profiles and feedback."""
        return self.paths.data_dir / "greenbot.sqlite"

    @property
    def index_dir(self) -> Path:
        """Folder of the embedded Chroma store and the indexing records."""
        return self.paths.data_dir / "index"
