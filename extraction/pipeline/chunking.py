"""Long articles: split at paragraph or sentence boundaries with overlap, extract each piece, merge.

A chunk is an exact slice ``article.text[start:end]``, so an offset found in a chunk plus the
chunk's ``start`` is an offset in the whole article; :func:`merge_extractions` checks every shifted
span against the whole text and re-aligns any that does not hold its quote. Records found twice
(in the overlap between chunks, or reported again further down) are merged into one, and ids are
renumbered E1, E2, ... / S1, S2, ... with the statements' ``about_events`` links following.

Token counts are estimated at :data:`CHARS_PER_TOKEN` characters a token (English news text runs
close to 4 with OpenAI's tokenisers); the budget is a safety margin, not an exact limit.

>>> text = "Iran struck Koya. Two died.\\nThe IRGC claimed it. Iraq protested.\\nThe UN called."
>>> chunks = split_text(text, max_tokens=12, overlap_tokens=3)
>>> [(c.start, c.end) for c in chunks]
[(0, 28), (18, 65), (49, 79)]
>>> chunks[1].text
'Two died.\\nThe IRGC claimed it. Iraq protested.\\n'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from schemas.article import Article
from schemas.grounding import align, span_matches
from schemas.records import ArticleExtraction, Records, Usage

CHARS_PER_TOKEN = 4
DEFAULT_CHUNK_TOKENS = 12_000
"""Articles estimated above this many tokens are split (about 48,000 characters)."""
DEFAULT_OVERLAP_TOKENS = 300

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")
_SPACE = re.compile(r"\s+")


def estimate_tokens(text: str) -> int:
    """Tokens ``text`` is likely to take, rounded up.

    >>> estimate_tokens("12345678"), estimate_tokens("123456789")
    (2, 3)
    """
    return -(-len(text) // CHARS_PER_TOKEN)


@dataclass(frozen=True, slots=True)
class Chunk:
    index: int
    start: int
    end: int
    text: str


def _paragraph_cuts(text: str) -> list[int]:
    return [m.end() for m in re.finditer(r"\n", text)]


def _sentence_cuts(text: str) -> list[int]:
    return [m.end() for m in _SENTENCE_END.finditer(text)]


def _space_cuts(text: str) -> list[int]:
    return [m.end() for m in _SPACE.finditer(text)]


def _last_in(cuts: list[int], low: int, high: int) -> int | None:
    """The largest cut with ``low < cut <= high``."""
    best: int | None = None
    for c in cuts:
        if c > high:
            break
        if c > low:
            best = c
    return best


def _overlap_start(
    text: str, starts: list[int], start: int, end: int, overlap: int, longest: int
) -> int:
    """Where the chunk after ``[start, end)`` starts: at the sentence or line start that repeats
    closest to ``overlap`` characters of text (at most ``longest``), else at ``end``."""
    if overlap <= 0:
        return end
    best: int | None = None
    for b in starts:
        if b >= end:
            break
        if b <= start or end - b > longest or not text[b:end].strip():
            continue
        if best is None or abs((end - b) - overlap) < abs((end - best) - overlap):
            best = b
    return best if best is not None else end


def split_text(
    text: str,
    *,
    max_tokens: int = DEFAULT_CHUNK_TOKENS,
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS,
) -> list[Chunk]:
    """Cut ``text`` into chunks of at most ``max_tokens`` (estimated), preferring to end a chunk
    at a line break, then at a sentence end, then between words; each chunk after the first starts
    about ``overlap_tokens`` before the previous one ended, at a sentence or line start."""
    if max_tokens < 8:
        raise ValueError(f"max_tokens must be at least 8, not {max_tokens}")
    max_chars = max_tokens * CHARS_PER_TOKEN
    overlap = min(overlap_tokens * CHARS_PER_TOKEN, max_chars // 4)
    if len(text) <= max_chars:
        return [Chunk(0, 0, len(text), text)]
    paragraphs, sentences, spaces = _paragraph_cuts(text), _sentence_cuts(text), _space_cuts(text)
    starts_ok = sorted(set(paragraphs) | set(sentences))
    chunks: list[Chunk] = []
    start = 0
    while True:
        if len(text) - start <= max_chars:
            chunks.append(Chunk(len(chunks), start, len(text), text[start:]))
            return chunks
        limit = start + max_chars
        low = start + max_chars // 3  # never end a chunk in its first third if avoidable
        end = (
            _last_in(paragraphs, low, limit)
            or _last_in(sentences, low, limit)
            or _last_in(spaces, low, limit)
            or _last_in(spaces, start, limit)
            or limit
        )
        chunks.append(Chunk(len(chunks), start, end, text[start:end]))
        start = _overlap_start(text, starts_ok, start, end, overlap, max_chars // 2)


def chunk_article(article: Article, chunk: Chunk) -> Article:
    """The article with its text cut down to ``chunk`` (same id and metadata)."""
    return article.model_copy(update={"text": chunk.text})


# -- merging ----------------------------------------------------------------------------------

_EVIDENCE_KEYS = frozenset({"quote", "start", "end", "alignment", "score"})


def _reground(node: Any, text: str, shift: int) -> None:
    """Shift every evidence span under ``node`` by ``shift`` and check it against ``text``;
    a span that does not hold its quote is aligned again against the whole text."""
    if isinstance(node, list):
        for item in node:
            _reground(item, text, shift)
        return
    if not isinstance(node, dict):
        return
    if set(node) == _EVIDENCE_KEYS and isinstance(node.get("quote"), str):
        start, end = node.get("start"), node.get("end")
        if (
            isinstance(start, int)
            and isinstance(end, int)
            and span_matches(node["quote"], text, start + shift, end + shift)
        ):
            node["start"], node["end"] = start + shift, end + shift
            return
        hint = (start if isinstance(start, int) else 0) + shift
        found = align(node["quote"], text, hint=hint)
        node["start"], node["end"] = found.start, found.end
        node["alignment"], node["score"] = found.status.value, found.score
        return
    for value in node.values():
        _reground(value, text, shift)


def _fold(value: Any) -> Any:
    return " ".join(value.casefold().split()) if isinstance(value, str) else value


def _span(ev: Any) -> tuple[int, int] | None:
    if isinstance(ev, dict) and isinstance(ev.get("start"), int) and isinstance(ev.get("end"), int):
        return (ev["start"], ev["end"])
    return None


def _overlap(a: Any, b: Any) -> bool:
    sa, sb = _span(a), _span(b)
    return sa is not None and sb is not None and sa[0] < sb[1] and sb[0] < sa[1]


_PLACE_FIELDS = ("place", "admin2", "admin1", "country")


def _same_place(a: dict[str, Any], b: dict[str, Any]) -> bool:
    shared = False
    for f in _PLACE_FIELDS:
        va, vb = _fold(a.get(f)), _fold(b.get(f))
        if va is not None and vb is not None:
            if va != vb:
                return False
            shared = True
    return shared


def _same_event(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["sub_type"] != b["sub_type"]:
        return False
    if _overlap(a.get("evidence"), b.get("evidence")):
        return True
    da, db = a["date"].get("value"), b["date"].get("value")
    if da is not None and db is not None and da != db:
        return False
    return a["standing"] == b["standing"] and _same_place(a["location"], b["location"])


def _same_statement(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["kind"] != b["kind"]:
        return False
    return _fold(a["text"]) == _fold(b["text"]) or _overlap(a.get("evidence"), b.get("evidence"))


def _union(into: list[Any], more: list[Any]) -> None:
    seen = [_identity(x) for x in into]
    for item in more:
        ident = _identity(item)
        if ident not in seen:
            into.append(item)
            seen.append(ident)


def _identity(item: Any) -> Any:
    if isinstance(item, dict):
        return tuple(sorted((k, _identity(v)) for k, v in item.items() if k != "evidence"))
    if isinstance(item, list):
        return tuple(_identity(v) for v in item)
    return _fold(item)


def _fill(into: dict[str, Any], other: dict[str, Any], fields: Sequence[str]) -> None:
    for f in fields:
        if into.get(f) is None and other.get(f) is not None:
            into[f] = other[f]


def _merge_event(into: dict[str, Any], other: dict[str, Any]) -> None:
    _fill(into, other, ("evidence", "operation_id"))
    if into["date"].get("value") is None and other["date"].get("value") is not None:
        into["date"] = other["date"]
    _fill(into["location"], other["location"], (*_PLACE_FIELDS, "evidence"))
    for f in ("perpetrators", "targets", "attribution", "weapons", "casualties"):
        _union(into[f], other[f])


def _merge_statement(into: dict[str, Any], other: dict[str, Any]) -> None:
    _fill(into, other, ("speaker", "role", "organisation", "date", "evidence"))
    for f in ("about_events", "targets"):
        for v in other[f]:
            if v not in into[f]:
                into[f].append(v)


def merge_extractions(
    article: Article, chunks: Sequence[Chunk], parts: Sequence[ArticleExtraction]
) -> ArticleExtraction:
    """One extraction for the whole article from the extractions of its chunks, in order.

    Evidence offsets index ``article.text``; duplicate events (same sub-type at a compatible
    place and date, or overlapping evidence) and duplicate statements (same kind and words) are
    merged; usage and attempts are summed."""
    if len(chunks) != len(parts) or not parts:
        raise ValueError(f"{len(chunks)} chunks but {len(parts)} extractions")
    events: list[dict[str, Any]] = []
    statements: list[dict[str, Any]] = []
    used_ops: set[str] = set()
    for chunk, part in zip(chunks, parts, strict=True):
        id_map: dict[str, str] = {}
        op_map: dict[str, str] = {}
        for event in part.events:
            data = event.model_dump(mode="json")
            _reground(data, article.text, chunk.start)
            old_id, op = data["id"], data.get("operation_id")
            same = next((e for e in events if _same_event(e, data)), None)
            if same is not None:
                id_map[old_id] = same["id"]
                if op is not None and same.get("operation_id") is not None:
                    op_map.setdefault(op, same["operation_id"])
                data["operation_id"] = None  # the kept event's operation wins
                _merge_event(same, data)
                continue
            if op is not None:
                if op not in op_map:
                    op_map[op] = op if op not in used_ops else f"{op}-{chunk.index + 1}"
                data["operation_id"] = op_map[op]
                used_ops.add(op_map[op])
            data["id"] = f"E{len(events) + 1}"
            id_map[old_id] = data["id"]
            events.append(data)
        for statement in part.statements:
            data = statement.model_dump(mode="json")
            _reground(data, article.text, chunk.start)
            data["about_events"] = [id_map[i] for i in data["about_events"] if i in id_map]
            same = next((s for s in statements if _same_statement(s, data)), None)
            if same is not None:
                _merge_statement(same, data)
                continue
            data["id"] = f"S{len(statements) + 1}"
            statements.append(data)
    records = Records.model_validate({"events": events, "statements": statements})
    usage = sum((p.producer.usage for p in parts), Usage())
    producer = parts[0].producer.model_copy(
        update={
            "usage": usage,
            "attempts": sum(p.producer.attempts for p in parts),
            "latency_s": _total_latency(parts),
        }
    )
    warnings: list[str] = []
    for p in parts:
        warnings.extend(w for w in p.warnings if w not in warnings)
    return ArticleExtraction.from_records(article.id, records, producer, warnings=warnings)


def _total_latency(parts: Sequence[ArticleExtraction]) -> float | None:
    values = [p.producer.latency_s for p in parts if p.producer.latency_s is not None]
    return round(sum(values), 6) if values else None
