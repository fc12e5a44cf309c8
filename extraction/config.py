"""Which model extracts, where it is served, and how patiently sitrep calls it.

:func:`resolve_config` reads the arguments a caller gives, then the environment, and decides:

- no model and no endpoint configured: ``None``, meaning the offline baseline (the CLI prints
  :data:`BASELINE_NOTICE` on stderr; the library logs it);
- ``openai/<name>`` (or a bare name with no endpoint): the OpenAI API, which needs a key
  (``SITREP_API_KEY`` or ``OPENAI_API_KEY``), else a :class:`ConfigurationError` saying so;
- ``ollama/<name>``: Ollama's OpenAI-compatible endpoint on ``http://localhost:11434/v1``;
- a model name with a base URL: any OpenAI-compatible server (Ollama, vLLM, llama.cpp, a proxy).
  A key is optional there; ``OPENAI_API_KEY`` is only ever sent to api.openai.com, so a local or
  third-party server never sees it (use ``SITREP_API_KEY`` for a server that needs its own).

>>> resolve_config(environ={}) is None
True
>>> cfg = resolve_config("ollama/llama3.1", environ={})
>>> cfg.api_model, cfg.base_url, cfg.provider, cfg.api_key is None
('llama3.1', 'http://localhost:11434/v1', 'ollama', True)
>>> cfg = resolve_config("Qwen/Qwen2.5-7B-Instruct", base_url="http://gpu:8000/v1", environ={})
>>> cfg.api_model, cfg.provider
('Qwen/Qwen2.5-7B-Instruct', 'openai-compatible')
>>> resolve_config("openai/gpt-4.1-mini", environ={})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
extraction.errors.ConfigurationError: model 'openai/gpt-4.1-mini' ... needs an API key: set ...
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal, get_args
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator

from extraction.errors import ConfigurationError
from extraction.model.modes import default_mode
from extraction.model.providers import OLLAMA_BASE_URL, OPENAI_BASE_URL, PROVIDER_BASE_URLS
from schemas.validation import first_error

ENV_MODEL = "SITREP_MODEL"
ENV_BASE_URL = "SITREP_BASE_URL"
ENV_API_KEY = "SITREP_API_KEY"
ENV_OPENAI_API_KEY = "OPENAI_API_KEY"
ENV_MODE = "SITREP_MODE"

BASELINE_NOTICE = (
    "sitrep: no model configured (set SITREP_MODEL or pass --model); "
    "using the offline rule-based baseline"
)
"""The one line the CLI prints on stderr (and the library logs) when the baseline runs."""

NO_KEY = "sitrep-no-key"
"""Sent as the bearer token to servers that need none (the openai client insists on one)."""

Mode = Literal["tools", "json_schema", "json_object_schema", "json", "md_json"]
MODES: tuple[str, ...] = get_args(Mode)
"""How the schema is asked for; which mode suits which server: :mod:`extraction.model.modes`.
Without one, :func:`extraction.model.modes.default_mode` picks from the base URL."""


def sanitize_base_url(url: str) -> str:
    """``url`` without user info, query or fragment: safe to store and to print.

    >>> sanitize_base_url("https://user:secret@host:8443/v1/?api_key=abc#x")
    'https://host:8443/v1'
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port is not None else host
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


def _is_openai(url: str) -> bool:
    return (urlsplit(url).hostname or "").lower() == "api.openai.com"


class ExtractionConfig(BaseModel):
    """Everything a model call needs. Build it with :func:`resolve_config` (which reads the
    environment) or directly; ``api_model``, ``provider`` and ``base_url`` are derived from
    ``model`` when not given. The key is a :class:`~pydantic.SecretStr`: it never shows in a
    repr, a dump or a log.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str = Field(min_length=1, description="As requested: 'openai/gpt-4.1-mini'.")
    api_model: str = Field(
        default="", min_length=1, description="The name sent to the server (derived)."
    )
    provider: str = Field(
        default="", min_length=1, description="'openai', 'ollama' or 'openai-compatible' (derived)."
    )
    base_url: str = OPENAI_BASE_URL
    api_key: SecretStr | None = None
    mode: Mode = "tools"
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(default=4096, ge=1)
    timeout: float = Field(default=120.0, gt=0, description="Seconds per HTTP request.")
    max_reasks: int = Field(
        default=2, ge=0, le=10, description="Re-asks after output that fails validation."
    )
    max_transport_retries: int = Field(
        default=4, ge=0, le=10, description="Retries of a request after 429, 5xx or timeouts."
    )
    backoff_initial: float = Field(default=1.0, ge=0, description="First backoff wait, seconds.")
    backoff_max: float = Field(default=30.0, ge=0, description="Longest backoff wait, seconds.")
    max_retry_after: float = Field(
        default=60.0, ge=0, description="Longest Retry-After honoured; a longer one fails now."
    )
    local_server: bool | None = Field(
        default=None,
        description="Whether the server runs on this machine (one queue: a timed-out request is "
        "not retried behind the answer it is still generating); None: from the base URL.",
    )
    prompt_id: str = "extract_v1"

    @model_validator(mode="before")
    @classmethod
    def _derive(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("model"), str):
            return data
        data = dict(data)
        model: str = data["model"].strip()
        prefix, _, rest = model.partition("/")
        known = prefix.lower() in PROVIDER_BASE_URLS and bool(rest)
        data.setdefault("api_model", rest if known else model)
        if data.get("base_url") is None:
            data["base_url"] = PROVIDER_BASE_URLS[prefix.lower()] if known else OPENAI_BASE_URL
        if "provider" not in data:
            if known:
                data["provider"] = prefix.lower()
            else:
                data["provider"] = "openai" if _is_openai(data["base_url"]) else "openai-compatible"
        return data

    @model_validator(mode="after")
    def _url_is_http(self) -> ExtractionConfig:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"base_url {sanitize_base_url(self.base_url)!r} is not an http(s) URL "
                "(expected e.g. http://localhost:11434/v1)"
            )
        return self

    @property
    def endpoint(self) -> str:
        """The base URL without credentials or query: what results and errors name."""
        return sanitize_base_url(self.base_url)

    @property
    def is_local(self) -> bool:
        """Whether the server runs on this machine (:attr:`local_server`, else the base URL)."""
        if self.local_server is not None:
            return self.local_server
        from extraction.model.diagnosis import is_loopback

        return is_loopback(self.base_url)

    @property
    def on_openai_api(self) -> bool:
        """Whether requests go to api.openai.com (the only host ``OPENAI_API_KEY`` is sent to)."""
        return _is_openai(self.base_url)

    def secret(self) -> str | None:
        return self.api_key.get_secret_value() if self.api_key is not None else None

    def parameters(self) -> dict[str, Any]:
        """What a result records of how it was asked for (:attr:`schemas.Producer.parameters`)."""
        return {
            "requested_model": self.model,
            "mode": self.mode,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "timeout": self.timeout,
            "max_reasks": self.max_reasks,
            "max_transport_retries": self.max_transport_retries,
        }


def _env(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    return value or None


def resolve_config(
    model: str | None = None,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    mode: str | None = None,
    environ: Mapping[str, str] | None = None,
    **options: Any,
) -> ExtractionConfig | None:
    """The configuration to extract with, or ``None`` for the offline baseline.

    Arguments win over the environment (``SITREP_MODEL``, ``SITREP_BASE_URL``, ``SITREP_API_KEY``,
    ``OPENAI_API_KEY``, ``SITREP_MODE``). ``options`` are further :class:`ExtractionConfig` fields
    (``temperature``, ``max_tokens``, ``timeout``, ``max_reasks``, ``max_transport_retries``, ...).
    """
    env = os.environ if environ is None else environ
    model = (model or "").strip() or _env(env, ENV_MODEL)
    url_source = "base_url" if base_url else ENV_BASE_URL
    base_url = (base_url or "").strip() or _env(env, ENV_BASE_URL)
    if model is None:
        if base_url is not None:
            raise ConfigurationError(
                f"an endpoint is set ({url_source}={sanitize_base_url(base_url)}) but no model: "
                f"set {ENV_MODEL} or pass --model (for Ollama, a name from `ollama list`)"
            )
        return None

    unknown = sorted(set(options) - set(ExtractionConfig.model_fields))
    if unknown:
        known = sorted(set(ExtractionConfig.model_fields) - {"model", "base_url", "api_key"})
        raise ConfigurationError(f"unknown extraction option(s) {unknown}; known: {known}")
    chosen_mode = (mode or "").strip() or _env(env, ENV_MODE)
    if chosen_mode is not None and chosen_mode not in MODES:
        source = "mode" if mode else ENV_MODE
        raise ConfigurationError(f"{source}={chosen_mode!r} is not one of {list(MODES)}")
    try:
        cfg = ExtractionConfig.model_validate(
            {"model": model, "base_url": base_url, "mode": chosen_mode or "tools", **options}
        )
    except ValidationError as exc:
        field, msg = first_error(exc)
        where = url_source if field in ("", "base_url") else field
        raise ConfigurationError(f"extraction setting {where}: {msg}") from None

    key = (api_key or "").strip() or _env(env, ENV_API_KEY)
    if key is None and _is_openai(cfg.base_url):
        key = _env(env, ENV_OPENAI_API_KEY)
    if key is None and _is_openai(cfg.base_url):
        raise ConfigurationError(
            f"model {model!r} is served by {cfg.endpoint}, which needs an API key: set "
            f"{ENV_OPENAI_API_KEY} or {ENV_API_KEY} (or pass api_key= / --api-key); for a local "
            f"OpenAI-compatible server set {ENV_BASE_URL} (Ollama: {OLLAMA_BASE_URL}); "
            f"unset {ENV_MODEL} to use the offline baseline"
        )
    update: dict[str, Any] = {"api_key": SecretStr(key) if key else None}
    if chosen_mode is None:
        update["mode"] = default_mode(cfg.base_url, cfg.provider)
    return cfg.model_copy(update=update)
