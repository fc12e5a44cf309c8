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

from extraction.baseline.mentions.person_names import find_names
from extraction.baseline.statements.speaker_fallbacks import subject_surname
from extraction.baseline.statements.speakers import find_speaker
from extraction.baseline.statements.statement_drafts import (
    MIN_QUOTE_WORDS,
    Speaker,
    StatementDraft,
    Walk,
)
from extraction.baseline.statements.statement_kinds import channel_of
from extraction.baseline.text.dates import find_dates
from extraction.baseline.text.lexicon import statements_data
from extraction.baseline.text.numbers import alternation
from extraction.baseline.text.prefilter import guarding
from extraction.baseline.text.sentences import Document, QuotePiece, Sentence
from schemas.vocab import TextType

INTRO = re.compile(r"^(?:(?:In|At|On|Late on|Early on|Earlier|Later|Meanwhile)\b[^,]{0,60},\s*)")
"""An opening phrase before a subject ("In a statement on Monday, ...")."""


@cache
def speech_verb_regex() -> str:
    """An alternation of the speech and stance verbs (``speech_verbs``), longest first."""
    return alternation(statements_data().speech_verbs)


@cache
def quote_verb_regex() -> str:
    """An alternation of the verbs that attribute a quote: ``speech_verbs`` and
    ``quote_verbs`` ("interjected", "told CNN"), longest first."""
    data = statements_data()
    return alternation({*data.speech_verbs, *data.quote_verbs})


@cache
def _clause_verbs() -> str:
    return alternation(statements_data().quote_clause_verbs)


@cache
def _after_quote() -> re.Pattern[str]:
    v = quote_verb_regex()
    return re.compile(
        rf"^[,\s]*(?:(?P<subj>[^“”\"]{{1,160}}?)\s+(?:\w+ly\s+)?(?P<verb>{v}|read)\b(?P<rest>[^“”\"]*)"
        rf"|(?P<verb2>{v})\s+(?P<subj2>[^“”\"]{{2,240}}?)"
        rf"(?:,\s*(?P<rest2>(?:addressing|speaking|in|at|on|according|while|who|\w+ing)\b[^“”\"]*))?"
        rf"\s*\.?\s*)$",
        re.IGNORECASE,
    )


_LEAD_SUBJECT = 320
"""The most characters a subject before a quote's verb has ('Smith said: “...”')."""


@cache
def _verb_before_quote() -> str:
    """The verb and what may follow it up to the quote: the end of :func:`_before_quote`."""
    v, p = quote_verb_regex(), _clause_verbs()
    return (
        r"\s*,?\s+(?:\w+ly\s+)?"
        rf"(?:(?P<verb>{v})(?:\s+\w+ly)?"
        r"(?P<rest>\s+(?:in\s+a\s+\w+(?:\s+\w+)?|on\s+\w+|that))?\s*[:,]"
        rf"|(?P<participle>{p})(?:\s+\w+ly)?\s*[:,]?)\s*$"
    )


@cache
@guarding
def _before_quote() -> re.Pattern[str]:
    return re.compile(
        rf"(?P<subj>[^“”\"]{{0,{_LEAD_SUBJECT}}}?){_verb_before_quote()}", re.IGNORECASE
    )


@cache
def _quote_verb_end() -> re.Pattern[str]:
    return re.compile(_verb_before_quote(), re.IGNORECASE)


def _search_before_quote(before: str) -> re.Match[str] | None:
    """``_before_quote().search(before)``, searched only from where it can match: every match
    ends in a verb part (:func:`_verb_before_quote`) no earlier than the first place one
    matches, and its subject is at most ``_LEAD_SUBJECT`` characters long (same match, without
    trying a 320-character subject at every character of a long sentence).

    >>> before = "In Erbil on Monday, Ann Varga, the mayor, said: "
    >>> b = _search_before_quote(before)
    >>> b.group("subj"), b.group("verb")
    ('In Erbil on Monday, Ann Varga, the mayor', 'said')
    >>> b.span("subj") == _before_quote().search(before).span("subj")
    True
    """
    rx = _before_quote()
    if not rx.possible(before, 0, len(before)):
        return None
    end = _quote_verb_end().search(before)
    if end is None:
        return None
    return rx.search(before, max(0, end.start() - _LEAD_SUBJECT))


@cache
def _reply_label() -> re.Pattern[str]:
    """ "Smith's succinct reply:" before a quote: Smith's words (``reply_nouns`` of the data)."""
    nouns = "|".join(n.replace(" ", r"\s+") for n in statements_data().reply_nouns)
    return re.compile(
        r"^(?:\S.*[.;]\s+)?(?P<name>[A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,2})['’]s\s+(?:\w+\s+)?"
        rf"(?:{nouns})\s*:\s*$"
    )


_LABEL = re.compile(r"^(?P<subj>[A-Z][^“”\":]{1,80}?)\s*:\s*$")
"""A paragraph that opens with a name and a colon before the quote ("Ann Smith, The Herald: "),
as round-ups of comment print it."""
_COLON_LEAD = re.compile(r"^(?P<subj>[A-Z][^“”\":]{1,200}?)\s*:\s*$")
"""A sentence whose words before the quote end in a colon ("Smith mocked Novak in two
posts: “...”"): the person it opens with speaks."""
COLON_LEAD_WORDS = 20
_PRONOUN_SUBJECT = re.compile(r"(?:He|She)\b")
_PRONOUN_BEFORE_VERB = re.compile(r"(?:^|,\s*|\s)(?P<p>he|she)\s*$", re.IGNORECASE)
_WITH_SUBJECT = re.compile(r"\bwith\s+(?=\S)")
_COORDINATED = re.compile(r"\s(?:and|then)\s*$")
_TAIL_NAME = re.compile(r",\s+(?P<name>[A-Z][\w’'-]+)\s*$")


_SHORT_END = re.compile(
    r"[,?!]\s*(?:[”\"]|'')\s*,?\s*(?:(?:[A-Z][\w.’'-]*\s+){1,3}(?:said|says|adds|added|wrote|writes)\b"
    r"|(?:said|says|added|wrote|responded|replied|asked)\s+(?:[a-z]+\s+){0,3}"
    r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2}\s*[,.])"
)
_SHORT_LEAD = re.compile(
    r"(?:^|\s)(?:[A-Z][\w.’'-]*\s+){1,3}(?:said|responded|replied|wrote|added|asked|agreed)\s*:\s*$"
)
SHORT_QUOTE_WORDS = 2
"""A quote this short (in words) is a statement only with its speaker right beside it."""


def _short_attributed(text: str, piece: QuotePiece, sentence_start: int) -> bool:
    """A quote under four words with its speaker right beside it ("“Go register,” Trump
    said", "“Thanks, Ann!” responded director Jan Novak."), or of two words or more right after
    its attribution ('Jan Novak replied: "No way."', 'Novak blurted out, "Oh, no,"', 'calling
    the claims "utter nonsense."', or a colon): words, not scare quotes."""
    if not piece.closed:
        return False
    if _SHORT_END.match(text, max(piece.content_end - 1, 0)):
        return True
    if piece.words < SHORT_QUOTE_WORDS:
        return False
    lo = max(sentence_start, piece.start - 200)
    before = text[lo : piece.start]
    if re.search(r":\s*$", before) or _SHORT_LEAD.search(before):
        return True
    return _search_before_quote(before) is not None


def _sentence_of(doc: Document, offset: int) -> Sentence | None:
    return doc.sentence_at(offset)


def read_quote(walk: Walk, piece: QuotePiece) -> None:
    """Add the statement of a quote, if an attribution is attached to it."""
    doc, text = walk.doc, walk.doc.text
    sentence = _sentence_of(doc, piece.start)
    if sentence is None or sentence.headline:
        return
    if piece.words < MIN_QUOTE_WORDS and not _short_attributed(text, piece, sentence.start):
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
        draft = _lead_draft(walk, piece, before, before_start, sentence.index)
    if draft is None and not before.strip():
        draft = _after_colon_paragraph(walk, piece)
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


def _lead_draft(
    walk: Walk, piece: QuotePiece, before: str, before_start: int, sentence: int
) -> StatementDraft | None:
    """The statement of a quote whose attribution stands before it: 'Smith said: "..."',
    'Smith added, "..."', '..., saying, "..."' (the subject of the clause speaks), or a
    paragraph that opens with a name and a colon ('Ann Smith, The Herald: "..."')."""
    doc = walk.doc
    b = _search_before_quote(before)
    if b is not None:
        ss, se = before_start + b.start("subj"), before_start + b.end("subj")
        intro = INTRO.match(doc.text[ss:se])
        if intro:
            ss += intro.end()
        participle = b.group("participle") is not None
        speaker = _lead_speaker(walk, ss, se, sentence, participle)
        if speaker is None:
            return None
        verb = "said" if participle else b.group("verb")
        return quote_draft(doc, piece, speaker, verb, before, sentence, b.group("rest") or "")
    colon = _COLON_LEAD.match(before)
    if colon is not None and len(colon.group("subj").split()) <= COLON_LEAD_WORDS:
        ss, se = before_start + colon.start("subj"), before_start + colon.end("subj")
        intro = INTRO.match(doc.text[ss:se])
        ss += intro.end() if intro else 0
        speaker = find_speaker(walk, ss, se, sentence, adjacent=False, first=True)
        names = find_names(doc, walk.mentions, ss, min(se, ss + 40), walk.people.full)
        if speaker is not None and speaker.person and names and names[0][0] - ss <= 4:
            return quote_draft(doc, piece, speaker, "said", before, sentence, "")
        lone = subject_surname(doc, walk.mentions, ss, walk.people) if not names else None
        if lone is not None:  # "Varga also sent Berg a memo ...: “...”"
            return quote_draft(doc, piece, Speaker(lone), "said", before, sentence, "")
    reply = _reply_label().match(before)
    if reply is not None:  # "Smith's succinct reply: “...”"
        name = walk.people.resolve(reply.group("name"))
        speaker = Speaker(name, walk.people.role.get(name), walk.people.org.get(name))
        return quote_draft(doc, piece, speaker, "replied", before, sentence, "")
    block_start = doc.blocks[piece.block].start
    label = _LABEL.match(before) if before_start == block_start else None
    if label is None or len(label.group("subj").split()) > 10:
        return None
    ss, se = before_start + label.start("subj"), before_start + label.end("subj")
    speaker = find_speaker(walk, ss, se, sentence, adjacent=False)
    if speaker is None or speaker.person is None:
        return None
    return quote_draft(doc, piece, speaker, "said", before, sentence, "")


def _after_colon_paragraph(walk: Walk, piece: QuotePiece) -> StatementDraft | None:
    """A quote that opens the paragraph after one ending in its attribution and a colon
    ('Ann Smith wrote:' / '“...”')."""
    doc = walk.doc
    block = doc.blocks[piece.block]
    if piece.start != block.start or piece.block == 0:
        return None
    previous = doc.blocks[piece.block - 1]
    end = previous.start + len(previous.text.rstrip())
    if not doc.text[:end].endswith(":"):
        return None
    lead = doc.sentence_at(end - 1)
    if lead is None or lead.headline:
        return None
    return _lead_draft(walk, piece, doc.text[lead.start : end], lead.start, lead.index)


def _lead_speaker(walk: Walk, ss: int, se: int, sentence: int, participle: bool) -> Speaker | None:
    """The speaker of the subject ``text[ss:se]`` before a quote's verb: a pronoun right before
    the verb ("When asked, she said:"), the one "with" names ("with X saying"), the first person
    of a clause whose verb is a participle or is coordinated ("Ann Smith left, saying", "Ann
    Smith stood and declared,"), or the subject of the sentence when the words before the verb
    are another quote's ('Smith, who wore a shirt reading “...,” shouted, “...”')."""
    doc, text = walk.doc, walk.doc.text
    pronoun = _PRONOUN_BEFORE_VERB.search(text, ss, se)
    with_subject = _WITH_SUBJECT.search(text, ss, se) if participle else None
    tail = _TAIL_NAME.search(text, ss, se)
    if pronoun is not None:  # "When Ann Smith was asked, she said:"
        return find_speaker(walk, pronoun.start("p"), pronoun.end("p"), sentence)
    if with_subject is not None:  # "..., with spokesman Jan Novak saying"
        return find_speaker(walk, with_subject.end(), se, sentence)
    if not re.search(r"\w", text[ss:se]):  # '..., “...,” shouted, “...”'
        start = doc.sentences[sentence].start
        return find_speaker(walk, start, ss, sentence, adjacent=False, first=True)
    clause = participle or bool(_COORDINATED.search(text, ss, se))
    speaker = find_speaker(walk, ss, se, sentence, adjacent=not clause, first=clause)
    if speaker is None and tail is not None:  # "When X said so, Smith responded,"
        speaker = find_speaker(walk, tail.start("name"), se, sentence)
    lead_pronoun = _PRONOUN_SUBJECT.match(text, ss)
    if lead_pronoun and (speaker is None or speaker.person is None):
        speaker = find_speaker(walk, ss, lead_pronoun.end(), sentence)  # "He often ..., saying"
    return speaker


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
    return not prev_piece.closed and doc.text[doc.blocks[piece.block].start] in "“\"'"


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
