"""Quotes and their attribution.

A quote of four words or more is a statement when an attribution is attached to it: after it
('“...,” U.S. State Department spokesman Ned Price said in a statement', '“...,” said Qais
al-Khazali'), or before it with a colon ('Lord Ahmad ... said: “...”', 'It continued: “...”').
A quote that simply goes on after its attribution, in the same paragraph or the next, belongs to
the statement before it.
"""

from __future__ import annotations

import re
from functools import cache

from extraction.baseline.dates import find_dates
from extraction.baseline.lexicon import statements_data
from extraction.baseline.prefilter import guarding
from extraction.baseline.sentences import Document, QuotePiece, Sentence
from extraction.baseline.speakers import find_speaker
from extraction.baseline.statement_drafts import MIN_QUOTE_WORDS, Speaker, StatementDraft, Walk
from extraction.baseline.statement_kinds import channel_of
from schemas.vocab import TextType

INTRO = re.compile(r"^(?:(?:In|At|On|Late on|Early on|Earlier|Later|Meanwhile)\b[^,]{0,60},\s*)")
"""An opening phrase before a subject ("In a statement on Monday, ...")."""


@cache
def speech_verb_regex() -> str:
    """An alternation of the speech and stance verbs (``speech_verbs``), longest first."""
    verbs = sorted(statements_data().speech_verbs, key=len, reverse=True)
    return "|".join(v.replace(" ", r"\s+") for v in verbs)


@cache
def _after_quote() -> re.Pattern[str]:
    v = speech_verb_regex()
    return re.compile(
        rf"^[,\s]*(?:(?P<subj>[^“”\"]{{1,160}}?)\s+(?P<verb>{v}|read)\b(?P<rest>[^“”\"]*)"
        rf"|(?P<verb2>said|says|added|tweeted|wrote|continued)\s+(?P<subj2>[^“”\"]{{2,160}}?)"
        rf"(?:,\s*(?P<rest2>(?:addressing|speaking|in|at|on|according|while|who)\b[^“”\"]*))?\s*\.?\s*)$",
        re.IGNORECASE,
    )


@cache
@guarding
def _before_quote() -> re.Pattern[str]:
    return re.compile(
        r"(?P<subj>[^“”\"]{1,320}?)\s*,?\s+(?P<verb>said|says|added|continued|declared|wrote|tweeted|stated|"
        r"warned|told\s+\w+(?:\s+\w+)?|declared|reiterated|added|concluded|asked|writes|adds|says)"
        r"(?P<rest>\s+(?:in\s+a\s+\w+(?:\s+\w+)?|on\s+\w+|that))?\s*[:,]\s*$",
        re.IGNORECASE,
    )


_SHORT_END = re.compile(
    r"[,?!]\s*[”\"]\s*,?\s*(?:[A-Z][\w.’'-]*\s+){1,3}(?:said|says|adds|added|wrote|writes)\b"
)


def _short_attributed(text: str, piece: QuotePiece) -> bool:
    """A quote under four words with its speaker right after it ("“Go register,” Trump
    said"): words, not scare quotes."""
    return piece.closed and bool(_SHORT_END.match(text, max(piece.content_end - 1, 0)))


def _sentence_of(doc: Document, offset: int) -> Sentence | None:
    return doc.sentence_at(offset)


def read_quote(walk: Walk, piece: QuotePiece) -> None:
    """Add the statement of a quote, if an attribution is attached to it."""
    doc, text = walk.doc, walk.doc.text
    if piece.words < MIN_QUOTE_WORDS and not _short_attributed(walk.doc.text, piece):
        return
    sentence = _sentence_of(doc, piece.start)
    if sentence is None or sentence.headline:
        return
    end_sentence = _sentence_of(doc, max(piece.start, piece.end - 1)) or sentence
    block = doc.blocks[piece.block]
    next_piece = next(
        (q for q in doc.quotes if q.start >= piece.end and q.block == piece.block), None
    )
    after_end = min(end_sentence.end, next_piece.start if next_piece else block.end)
    after = text[piece.end : after_end] if piece.closed else ""
    prev = walk.previous_piece
    before_start = max(sentence.start, prev.end if prev and prev.block == piece.block else 0)
    before = text[before_start : piece.start]
    previous = walk.previous
    draft: StatementDraft | None = None
    m = _after_quote().match(after) if after.strip() else None
    if m is not None:
        subj_group = "subj" if m.group("subj") is not None else "subj2"
        verb = m.group("verb") or m.group("verb2")
        rest = m.group("rest") or m.group("rest2") or ""
        ss, se = piece.end + m.start(subj_group), piece.end + m.end(subj_group)
        speaker = find_speaker(walk, ss, se, sentence.index, adjacent=False)
        if speaker is not None:
            draft = quote_draft(doc, piece, speaker, verb, after, end_sentence.index, rest)
    if draft is None:
        b = _before_quote().search(before)
        if b is not None:
            ss, se = before_start + b.start("subj"), before_start + b.end("subj")
            intro = INTRO.match(text[ss:se])
            if intro:
                ss += intro.end()
            speaker = find_speaker(walk, ss, se, sentence.index)
            if speaker is not None:
                draft = quote_draft(
                    doc,
                    piece,
                    speaker,
                    b.group("verb"),
                    before,
                    sentence.index,
                    b.group("rest") or "",
                )
    if draft is None and previous is not None and _continues(doc, previous, piece, before):
        draft = quote_draft(
            doc,
            piece,
            previous.speaker,
            previous.verb or "said",
            previous.attribution,
            sentence.index,
            "",
        )
        draft.channel, draft.date = previous.channel, previous.date
        draft.occasion = previous.occasion or previous
    if draft is not None:
        walk.out.append(draft)
        walk.quote_sentences.update({sentence.index, end_sentence.index})
    walk.previous_piece = piece


def _continues(doc: Document, previous: StatementDraft, piece: QuotePiece, before: str) -> bool:
    """A quote that goes on after its attribution ('“A,” it said. “B”'), or into the next
    paragraph after an unclosed quote."""
    if previous.text_type is not TextType.QUOTE:
        return False
    prev_piece = next((q for q in doc.quotes if q.content_start == previous.start), None)
    if prev_piece is None:
        return False
    if prev_piece.block == piece.block:
        return len(before.split()) <= 12 and piece.start - previous.end < 300
    return not prev_piece.closed and doc.text[doc.blocks[piece.block].start] in '“"'


def quote_draft(
    doc: Document,
    piece: QuotePiece,
    speaker: Speaker,
    verb: str,
    attribution: str,
    sentence: int,
    rest: str,
) -> StatementDraft:
    """The draft of a quote: its words without trailing punctuation, and the day named in the
    ``rest`` of its attribution ("said on Monday")."""
    start, end = piece.content_start, piece.content_end
    while end > start and doc.text[end - 1] in ",;: ":
        end -= 1
    date = None
    rest_at = doc.text.find(rest, piece.start) if rest else -1
    if rest_at >= 0:
        dates = find_dates(doc.text, rest_at, rest_at + len(rest))
        if dates and dates[0].kind in ("weekday", "day", "relative_day"):
            date = dates[0]
    return StatementDraft(
        start,
        end,
        start,
        end,
        TextType.QUOTE,
        speaker,
        " ".join(verb.lower().split()),
        channel_of(attribution),
        sentence,
        attribution,
        date,
    )
