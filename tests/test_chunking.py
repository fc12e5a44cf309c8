"""Long articles: chunks that respect the budget and the text's boundaries, overlap, and a merge
whose offsets index the whole article and whose duplicates are folded together."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.pipeline.chunking import CHARS_PER_TOKEN, split_text
from extraction.pipeline.merge import merge_extractions, merge_into
from schemas.article import Article
from schemas.evidence import grounding_context
from schemas.records import ArticleExtraction, Producer, Records, Usage

PARAGRAPHS = [
    "Iranian drones struck the headquarters of the Komala Party near Koya on Monday.",
    "Two people were killed and several others were injured, the party said.",
    "The IRGC said it targeted separatist groups in the Kurdistan Region.",
    "Iraq's foreign ministry condemned the strikes as a violation of sovereignty.",
    "A second barrage hit a camp in Sulaymaniyah province later that day.",
    "The United States called on Iran to stop these attacks immediately.",
]
TEXT = "\n\n".join(PARAGRAPHS)


def test_a_short_article_is_one_chunk_holding_all_of_it() -> None:
    (chunk,) = split_text(TEXT, max_tokens=10_000)
    assert (chunk.start, chunk.end, chunk.text) == (0, len(TEXT), TEXT)


def test_chunks_end_at_paragraph_boundaries_when_paragraphs_fit() -> None:
    chunks = split_text(TEXT, max_tokens=60, overlap_tokens=0)
    assert len(chunks) > 1
    for c in chunks[:-1]:
        assert TEXT[c.end - 1] == "\n", repr(c.text[-20:])
        assert len(c.text) <= 60 * CHARS_PER_TOKEN


def test_a_paragraph_longer_than_the_budget_is_cut_at_sentence_ends() -> None:
    text = " ".join(f"Sentence number {i} reports another strike." for i in range(40))
    chunks = split_text(text, max_tokens=50, overlap_tokens=0)
    assert len(chunks) > 1
    for c in chunks[:-1]:
        assert c.text.endswith(". "), repr(c.text[-10:])


def test_text_without_any_break_is_still_cut_within_the_budget() -> None:
    text = "x" * 1000
    chunks = split_text(text, max_tokens=50, overlap_tokens=0)
    assert "".join(c.text for c in chunks) == text
    assert all(len(c.text) <= 200 for c in chunks)


def test_consecutive_chunks_overlap_and_restart_at_a_sentence() -> None:
    chunks = split_text(TEXT, max_tokens=60, overlap_tokens=20)
    overlaps = [b.start < a.end for a, b in itertools.pairwise(chunks)]
    assert any(overlaps)
    for a, b in itertools.pairwise(chunks):
        assert b.start > a.start
        assert b.start == 0 or TEXT[b.start - 1] in " \n"


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("ab .\n!?"), min_size=1, max_size=3000),
    max_tokens=st.integers(min_value=8, max_value=300),
    overlap=st.integers(min_value=0, max_value=100),
)
def test_chunks_cover_the_text_in_order_within_budget(
    text: str, max_tokens: int, overlap: int
) -> None:
    chunks = split_text(text, max_tokens=max_tokens, overlap_tokens=overlap)
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for c in chunks:
        assert c.text == text[c.start : c.end]
        assert 0 < len(c.text) <= max_tokens * CHARS_PER_TOKEN
    for a, b in itertools.pairwise(chunks):
        assert a.start < b.start <= a.end  # no gap, always progress


# -- merging --------------------------------------------------------------------------------


def _part(
    article: Article, chunk_text: str, records: dict[str, Any], tokens: int
) -> ArticleExtraction:
    """What the model path returns for a chunk: evidence aligned against the chunk's text."""
    ctx = grounding_context(chunk_text, evidence_from="model")
    recs = Records.model_validate(records, context=ctx)
    producer = Producer(
        kind="model",
        name="m",
        usage=Usage(prompt_tokens=tokens, completion_tokens=10, total_tokens=tokens + 10),
        attempts=1,
    )
    return ArticleExtraction.from_records(article.id, recs, producer)


def _event(eid: str, quote: str, place: str, **kw: Any) -> dict[str, Any]:
    return {
        "id": eid,
        "sub_type": "air_drone_strike",
        "location": {"place": place},
        "evidence": {"quote": quote},
        **kw,
    }


def test_merge_puts_every_offset_against_the_whole_article_and_folds_duplicates() -> None:
    article = Article(id="long", text=TEXT)
    chunks = split_text(TEXT, max_tokens=60, overlap_tokens=20)
    assert len(chunks) >= 3
    parts = []
    for c in chunks:
        events, statements = [], []
        if PARAGRAPHS[0] in c.text:
            events.append(
                _event("E1", "drones struck the headquarters", "Koya", operation_id="op1")
            )
        if PARAGRAPHS[4] in c.text:  # the overlap may show it twice: once per chunk
            events.append(
                _event("E2" if events else "E1", "hit a camp in Sulaymaniyah", "Sulaymaniyah")
            )
        if PARAGRAPHS[5] in c.text:
            statements.append(
                {
                    "id": "S1",
                    "kind": "demand",
                    "text": "stop these attacks immediately",
                    "text_type": "quote",
                    "speaker": None,
                    "organisation": "United States",
                    "about_events": [e["id"] for e in events],
                    "evidence": {"quote": "stop these attacks immediately"},
                }
            )
        parts.append(_part(article, c.text, {"events": events, "statements": statements}, 100))
    merged = merge_extractions(article, chunks, parts)
    assert [e.id for e in merged.events] == ["E1", "E2"]
    koya, camp = merged.events
    for ev in (koya.evidence, camp.evidence):
        assert ev is not None and ev.start is not None and ev.end is not None
        assert TEXT[ev.start : ev.end] == ev.quote
        assert ev.alignment is not None and ev.alignment.value == "exact"
    assert camp.evidence is not None and camp.evidence.start is not None
    assert camp.evidence.start > len(PARAGRAPHS[0])  # not a chunk-relative offset
    assert koya.operation_id == "op1"
    (statement,) = merged.statements
    assert statement.about_events == ["E2"]
    assert merged.producer.usage.prompt_tokens == 100 * len(chunks)
    assert merged.producer.attempts == len(chunks)
    # the merged records are valid against the whole article as stored evidence
    Records.model_validate(merged.records.model_dump(), context=grounding_context(TEXT))


def test_distinct_events_stay_apart_and_clashing_operation_ids_are_renamed() -> None:
    text = PARAGRAPHS[0] + "\n\n" + PARAGRAPHS[4]
    article = Article(id="two", text=text)
    chunks = split_text(text, max_tokens=25, overlap_tokens=0)
    assert len(chunks) == 2
    parts = [
        _part(
            article,
            chunks[0].text,
            {"events": [_event("E1", "drones struck", "Koya", operation_id="op1")]},
            5,
        ),
        _part(
            article,
            chunks[1].text,
            {"events": [_event("E1", "hit a camp", "Sulaymaniyah", operation_id="op1")]},
            5,
        ),
    ]
    merged = merge_extractions(article, chunks, parts)
    assert [(e.id, e.location.place, e.operation_id) for e in merged.events] == [
        ("E1", "Koya", "op1"),
        ("E2", "Sulaymaniyah", "op1-2"),
    ]


def test_the_same_event_reported_in_two_chunks_keeps_the_details_of_both() -> None:
    text = PARAGRAPHS[0] + "\n\n" + PARAGRAPHS[1]
    article = Article(id="same", text=text)
    chunks = split_text(text, max_tokens=25, overlap_tokens=0)
    casualties = [
        {
            "kind": "killed",
            "low": 2,
            "best": 2,
            "high": 2,
            "evidence": {"quote": "Two people were killed"},
        }
    ]
    parts = [
        _part(article, chunks[0].text, {"events": [_event("E1", "drones struck", "Koya")]}, 5),
        _part(
            article,
            chunks[1].text,
            {"events": [_event("E1", "Two people were killed", "Koya", casualties=casualties)]},
            5,
        ),
    ]
    merged = merge_extractions(article, chunks, parts)
    (event,) = merged.events
    assert event.evidence is not None and event.evidence.quote == "drones struck"
    (figure,) = event.casualties
    assert figure.best == 2 and figure.evidence is not None and figure.evidence.start is not None
    assert text[figure.evidence.start : figure.evidence.end] == "Two people were killed"


def test_a_field_added_to_the_schema_merges_without_a_change_to_the_merge() -> None:
    """A copy of the event schema with two new fields: a list, and a value that may be null."""
    from pydantic import Field

    from schemas.event import AttackEvent

    class EventWithSources(AttackEvent):
        sources: list[str] = Field(default_factory=list)
        verified_by: str | None = None

    kept = EventWithSources(id="E1", sub_type="grenade", sources=["AFP"]).model_dump(mode="json")
    other = EventWithSources(
        id="E2", sub_type="grenade", sources=["AFP", "Rudaw"], verified_by="UNAMI"
    ).model_dump(mode="json")
    merge_into(kept, other, EventWithSources)
    assert kept["sources"] == ["AFP", "Rudaw"]
    assert kept["verified_by"] == "UNAMI"
    assert kept["id"] == "E1"
