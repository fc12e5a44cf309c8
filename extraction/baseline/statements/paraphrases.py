"""Paraphrases: the article's words for what was said, and claims told in the passive.

A sentence whose subject is a named actor or person and whose verb is a speech or stance verb
("The UK condemned ...", "The PDKI said ...", "..., the ministry said.") is a paraphrase; when a
medium relays it ("official television in Iran said that the Revolutionary Guards had ..."), the
party relayed speaks. A sentence that quotes a whole clause keeps the quote instead. "... were
claimed by the Islamic State" is the Islamic State's claim.
"""

from __future__ import annotations

import re
from functools import cache

from extraction.baseline.statements.quotes import INTRO, quote_draft, speech_verb_regex
from extraction.baseline.statements.speakers import find_speaker
from extraction.baseline.statements.statement_drafts import (
    MIN_QUOTE_WORDS,
    Speaker,
    StatementDraft,
    Walk,
)
from extraction.baseline.statements.statement_kinds import channel_of
from extraction.baseline.text.lexicon import cue, phrase_regex, statements_data
from extraction.baseline.text.prefilter import guarded, guarding
from extraction.baseline.text.sentences import Sentence, clauses
from gazetteer import ActorKind
from schemas.vocab import Channel, StatementKind, TextType


@cache
@guarding
def _paraphrase_verbs() -> re.Pattern[str]:
    return re.compile(
        rf"(?<![\w])(?:(?:has|have|had|also|are|is|already)\s+)*(?P<verb>{speech_verb_regex()})(?![\w])",
        re.IGNORECASE,
    )


@cache
def _clause_verbs() -> re.Pattern[str]:
    return phrase_regex(statements_data().clause_verbs)


@cache
def _relay() -> re.Pattern[str]:
    return phrase_regex(statements_data().relay_words)


def read_paraphrase(walk: Walk, sentence: Sentence) -> None:
    """Add the paraphrases (or claim) of a sentence that no quote took."""
    if sentence.headline or sentence.index in walk.quote_sentences or not sentence.plain.strip():
        return
    for cs, ce in clauses(sentence):
        drafts = _paraphrase(walk, sentence, cs, ce)
        if drafts:
            walk.out.extend(drafts)
            return
    claim = _claimed_by(walk, sentence)
    if claim is not None:
        walk.out.append(claim)


_TRAILING_SAID = guarded(
    re.compile(
        r",\s*(?P<subj>[^,;“”\"]{2,90}?)\s+(?:has\s+|have\s+)?"
        r"(?P<verb>said|says|reported|reports|added|claimed)"
        r"(?:\s+(?:in\s+a\s+\w+(?:\s+\w+)?|on\s+\w+|late\s+on\s+\w+|\w+day))?"
        r"(?:\s*,\s*according\s+to\s+[^.]+)?\s*\.?\s*$"
    )
)
"""A clause that ends with its speaker and a verb of saying (", the ministry said.")."""


def _paraphrase(walk: Walk, sentence: Sentence, cs: int, ce: int) -> list[StatementDraft]:
    doc = walk.doc
    plain = doc.plain
    trailing = _TRAILING_SAID.search(plain[cs:ce])
    candidates: list[tuple[int, int, int, str, bool]] = []  # subject, verb start, verb, trailing
    if trailing:
        ss, se = cs + trailing.start("subj"), cs + trailing.end("subj")
        candidates.append((ss, se, se, trailing.group("verb"), True))
    for m in _paraphrase_verbs().finditer(plain, cs, ce if not trailing else cs):
        intro = INTRO.match(plain[cs : m.start()])
        ss = cs + (intro.end() if intro else 0)
        if any(ms < m.start() and me > ss for ms, me in doc.masked):
            continue
        if len(re.findall(r"\w+", plain[m.end() : ce])) >= 3:  # something is reported
            candidates.append((ss, m.start(), m.start(), m.group("verb"), False))
        break
    for ss, se, verb_at, verb, is_trailing in candidates:
        if se <= ss:
            continue
        speaker = find_speaker(walk, ss, se, sentence.index)
        channel = channel_of(doc.text[sentence.start : sentence.end])
        if speaker is None and not is_trailing:
            speaker = _relayed(walk, ss, se, verb_at, ce)
            channel = Channel.MEDIA_REPORT if speaker is not None else channel
        if speaker is None:
            continue
        if is_trailing:
            start = sentence.start
            end = (
                cs + trailing.start() if trailing else sentence.end
            )  # the content, before ", X said"
        else:
            start, end = verb_at, sentence.end
        end = _trim_end(doc.text, start, end)
        paraphrase = StatementDraft(
            start,
            end,
            sentence.start,
            sentence.end,
            TextType.PARAPHRASE,
            speaker,
            " ".join(verb.lower().split()),
            channel,
            sentence.index,
            doc.text[sentence.start : sentence.end],
        )
        clause_quotes = [
            quote_draft(doc, q, speaker, verb, paraphrase.attribution, sentence.index, "")
            for q in doc.quotes
            if sentence.start <= q.start < sentence.end
            and q.words >= MIN_QUOTE_WORDS
            and _forms_clause(doc.text[q.content_start : q.content_end])
        ]
        for q in clause_quotes:
            q.channel = channel
        return clause_quotes or [paraphrase]
    return []


def _relayed(walk: Walk, ss: int, se: int, verb_at: int, end: int) -> Speaker | None:
    """ "official television in Iran said that the Revolutionary Guards had ...": the party
    whose words the medium relays is the speaker."""
    subject = walk.doc.text[ss:se]
    media = any(a.entry.kind is ActorKind.MEDIA for a in walk.mentions.actors_in(ss, se))
    if not (media or _relay().search(subject)):
        return None
    after = [
        a
        for a in walk.mentions.actors_in(verb_at, end)
        if not a.entry.generic and a.start - verb_at <= 40
    ]
    return Speaker(None, None, after[0].entry) if after else None


def _claimed_by(walk: Walk, sentence: Sentence) -> StatementDraft | None:
    """ "... were claimed by the Islamic State": a claim by the actor after "claimed by"."""
    m = cue("claimed_by").search(walk.doc.plain, sentence.start, sentence.end)
    if m is None:
        return None
    actor = next(
        (
            a
            for a in walk.mentions.actors_in(m.end(), sentence.end)
            if not a.entry.generic and a.start - m.end() <= 10
        ),
        None,
    )
    if actor is None:
        return None
    end = _trim_end(walk.doc.text, sentence.start, sentence.end)
    return StatementDraft(
        sentence.start,
        end,
        sentence.start,
        sentence.end,
        TextType.PARAPHRASE,
        Speaker(None, None, actor.entry),
        "claimed",
        Channel.UNKNOWN,
        sentence.index,
        walk.doc.text[sentence.start : sentence.end],
        kind_hint=StatementKind.CLAIM_OF_RESPONSIBILITY,
    )


def _trim_end(text: str, start: int, end: int) -> int:
    """Drop a sentence-final period (outside quotation marks) and trailing space or commas."""
    while end > start and text[end - 1] in " ,;":
        end -= 1
    if end > start and text[end - 1] == "." and not text[start : end - 1].endswith("."):
        end -= 1
    return end


def _forms_clause(quote: str) -> bool:
    """Whether quoted words have a verb of their own (a quoted clause, not a quoted phrase)."""
    return bool(_clause_verbs().search(quote)) or bool(
        re.search(r"\b\w+ed\s+(?:a|an|the|his|her|its|their|to)\b", quote)
    )
