"""How the model configuration is resolved, and where extract() sends an article (no network)."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from extraction import (
    BASELINE_NOTICE,
    ConfigurationError,
    ExtractionConfig,
    aextract,
    extract,
    resolve_config,
)
from extraction.config import sanitize_base_url
from schemas.article import Article

KEY = "sk-test-config-0123456789"
ENV_NAMES = ["SITREP_MODEL", "SITREP_BASE_URL", "SITREP_API_KEY", "OPENAI_API_KEY", "SITREP_MODE"]


def test_nothing_configured_means_the_offline_baseline() -> None:
    assert resolve_config(environ={}) is None
    assert resolve_config(environ={"SITREP_MODEL": "  ", "OPENAI_API_KEY": KEY}) is None
    assert "\n" not in BASELINE_NOTICE and "baseline" in BASELINE_NOTICE


def test_an_endpoint_without_a_model_is_an_error() -> None:
    with pytest.raises(
        ConfigurationError,
        match=r"SITREP_BASE_URL=http://localhost:11434/v1.*"
        r"no model: set SITREP_MODEL",
    ):
        resolve_config(environ={"SITREP_BASE_URL": "http://localhost:11434/v1"})


@pytest.mark.parametrize("model", ["openai/gpt-4.1-mini", "gpt-4.1-mini"])
def test_a_model_without_key_or_endpoint_says_how_to_configure(model: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        resolve_config(model, environ={})
    message = str(info.value)
    for advice in [
        "needs an API key",
        "OPENAI_API_KEY",
        "SITREP_API_KEY",
        "SITREP_BASE_URL",
        "http://localhost:11434/v1",
        "offline baseline",
    ]:
        assert advice in message, advice


def test_openai_model_with_key_from_the_environment() -> None:
    cfg = resolve_config(environ={"SITREP_MODEL": "openai/gpt-4.1-mini", "OPENAI_API_KEY": KEY})
    assert cfg is not None
    assert (cfg.api_model, cfg.provider, cfg.base_url) == (
        "gpt-4.1-mini",
        "openai",
        "https://api.openai.com/v1",
    )
    assert cfg.secret() == KEY


def test_openai_key_is_never_sent_to_another_server() -> None:
    env = {"OPENAI_API_KEY": KEY}
    cfg = resolve_config("llama3.1", base_url="http://localhost:11434/v1", environ=env)
    assert cfg is not None and cfg.api_key is None
    cfg = resolve_config(
        "llama3.1",
        base_url="http://gpu:8000/v1",
        environ={**env, "SITREP_API_KEY": "sitrep-key-abcdef"},
    )
    assert cfg is not None and cfg.secret() == "sitrep-key-abcdef"


def test_arguments_win_over_the_environment() -> None:
    env = {
        "SITREP_MODEL": "env-model",
        "SITREP_BASE_URL": "http://env:1/v1",
        "SITREP_API_KEY": "env-key-abcdef",
        "SITREP_MODE": "json",
    }
    cfg = resolve_config(
        "arg-model",
        base_url="http://arg:2/v1",
        api_key="arg-key-abcdef",
        mode="md_json",
        environ=env,
    )
    assert cfg is not None
    assert (cfg.api_model, cfg.base_url, cfg.secret(), cfg.mode) == (
        "arg-model",
        "http://arg:2/v1",
        "arg-key-abcdef",
        "md_json",
    )
    cfg = resolve_config(environ=env)
    assert cfg is not None and (cfg.api_model, cfg.mode) == ("env-model", "json")


def test_provider_prefixes_and_model_names_with_slashes() -> None:
    cfg = resolve_config("ollama/llama3.1", environ={})
    assert cfg is not None
    assert (cfg.api_model, cfg.base_url, cfg.provider) == (
        "llama3.1",
        "http://localhost:11434/v1",
        "ollama",
    )
    cfg = resolve_config(
        "meta-llama/Llama-3.1-8B-Instruct", base_url="http://gpu:8000/v1", environ={}
    )
    assert cfg is not None
    assert (cfg.api_model, cfg.provider) == (
        "meta-llama/Llama-3.1-8B-Instruct",
        "openai-compatible",
    )


def test_bad_settings_name_what_is_wrong() -> None:
    base = {"SITREP_MODEL": "m", "SITREP_BASE_URL": "http://h:1/v1"}
    with pytest.raises(ConfigurationError, match=r"SITREP_MODE='xml' is not one of \['tools'"):
        resolve_config(environ={**base, "SITREP_MODE": "xml"})
    with pytest.raises(ConfigurationError, match=r"setting temperature: .*less than or equal to 2"):
        resolve_config(environ=base, temperature=5)
    with pytest.raises(
        ConfigurationError, match=r"unknown extraction option\(s\) \['temprature'\]"
    ):
        resolve_config(environ=base, temprature=0.5)
    with pytest.raises(ConfigurationError, match=r"SITREP_BASE_URL: .*not an http\(s\) URL"):
        resolve_config(environ={**base, "SITREP_BASE_URL": "localhost:11434"})


def test_the_key_never_shows_in_the_config() -> None:
    cfg = resolve_config("gpt-4.1-mini", api_key=KEY, environ={})
    assert cfg is not None
    for shown in [
        repr(cfg),
        str(cfg),
        cfg.model_dump_json(),
        str(cfg.model_dump()),
        str(cfg.parameters()),
    ]:
        assert KEY not in shown


def test_stored_endpoints_hold_no_credentials() -> None:
    url = "https://user:s3cret@llm.example.org:8443/v1/?api_key=abc123#frag"
    assert sanitize_base_url(url) == "https://llm.example.org:8443/v1"
    cfg = ExtractionConfig(model="m", base_url=url)
    assert cfg.endpoint == "https://llm.example.org:8443/v1"


@pytest.fixture
def no_model_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_model_env")
def test_extract_without_a_model_runs_the_baseline(
    seed_article: Article, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="sitrep.extraction"):
        result = extract(seed_article)
    assert result.producer.kind == "baseline"
    assert result.article_id == seed_article.id
    assert BASELINE_NOTICE in caplog.messages


@pytest.mark.usefixtures("no_model_env")
def test_aextract_without_a_model_runs_the_baseline(seed_article: Article) -> None:
    result = asyncio.run(aextract(seed_article))
    assert result.producer.kind == "baseline"


def test_config_and_loose_settings_are_not_mixed(seed_article: Article) -> None:
    cfg = ExtractionConfig(model="m", base_url="http://h:1/v1")
    with pytest.raises(TypeError, match="either config= or model"):
        extract(seed_article, "other", config=cfg)


def test_response_model_is_passed_through_by_instructor_and_renders_the_model_schema() -> None:
    """sitrep hands instructor ``RecordsAnswer``: instructor must use it as given (not wrap it
    anew each call), and the tool it renders carries the model-facing schema under the name
    ``Records``."""
    from instructor.v2.core.response_model import prepare_response_model
    from instructor.v2.providers.openai.schema import generate_openai_schema

    from extraction.model.answer import RecordsAnswer
    from schemas.model_facing import model_schema

    assert prepare_response_model(RecordsAnswer) is RecordsAnswer
    assert RecordsAnswer.model_fields == {}  # nothing for instructor's type-tree walk to visit
    rendered = generate_openai_schema(RecordsAnswer)
    assert rendered["name"] == "Records"
    expected = {k: v for k, v in model_schema().items() if k not in ("title", "description")}
    assert rendered["parameters"] == {**expected, "required": ["events", "statements"]}
    assert "pattern" not in json.dumps(rendered) and "alignment" not in json.dumps(rendered)


def test_records_answer_fails_exactly_as_records_does() -> None:
    """Validation goes to ``Records`` with the caller's context: the errors instructor re-asks
    with carry Records' own locations and messages, and the grounding context is honoured."""
    from pydantic import ValidationError

    from extraction.model.answer import RecordsAnswer
    from schemas.evidence import grounding_context
    from schemas.records import Records

    bad = (
        '{"events": [{"id": "E1", "sub_type": "air_drone_strike", "evidence": {"quote": "x"},'
        ' "casualties": [{"kind": "killed", "low": 5, "best": 2}]}], "statements": []}'
    )
    with pytest.raises(ValidationError) as ours:
        RecordsAnswer.model_validate_json(bad)
    with pytest.raises(ValidationError) as theirs:
        Records.model_validate_json(bad)
    assert ours.value.errors(include_context=False) == theirs.value.errors(include_context=False)
    assert ours.value.errors()[0]["loc"] == ("events", 0, "casualties", 0)
    assert ours.value.title == "Records"

    text = "Drones struck Koya on Monday."
    answer = (
        '{"events": [{"id": "E1", "sub_type": "air_drone_strike",'
        ' "evidence": {"quote": "struck Koya"}}], "statements": []}'
    )
    got = RecordsAnswer.model_validate_json(
        answer, context=grounding_context(text, evidence_from="model")
    )
    evidence = got.records.events[0].evidence
    assert (evidence.start, evidence.end) == (7, 18)
    ungrounded = answer.replace("struck Koya", "hit Erbil")
    with pytest.raises(ValidationError, match="not in the article"):
        RecordsAnswer.model_validate_json(
            ungrounded, context=grounding_context(text, evidence_from="model")
        )
    with pytest.raises(ValueError, match="holds no records"):
        _ = RecordsAnswer().records
