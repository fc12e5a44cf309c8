"""Statements: quoted words with their speaker, and the article's paraphrases of what was said.

A quote of four words or more is a statement when an attribution is attached to it: after it
('“...,” U.S. State Department spokesman Ned Price said in a statement', '“...,” said Qais
al-Khazali'), or before it with a colon ('Lord Ahmad ... said: “...”', 'It continued: “...”').
A quote that simply goes on after its attribution, in the same paragraph or the next, belongs to
the statement before it. "it", "he" and "the statement" carry the previous speaker. A sentence
whose subject is a named actor or person and whose verb is a speech or stance verb ("The UK
condemned ...", "The PDKI said ...") is a paraphrase. The kind comes from the verb, else from cue
words in priority order (``data/statements.json``); an analyst's words are analysis.

>>> from extraction.baseline.sentences import read_document
>>> from extraction.baseline.mentions import find_mentions
>>> doc = read_document("Iran fired missiles at Erbil. “We call on Iran to stop these attacks,” "
...                     "U.S. State Department spokesman Ned Price said in a statement.")
>>> s = find_statements(doc, find_mentions(doc))[0]
>>> doc.text[s.start:s.end], s.channel.value
('We call on Iran to stop these attacks', 'statement')
>>> s.speaker.person, s.speaker.role, s.speaker.org.canonical
('Ned Price', 'spokesman', 'US State Department')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from extraction.baseline.dates import DateMention, find_dates, resolve
from extraction.baseline.events import EventDraft
from extraction.baseline.lexicon import cue, phrase_regex, statements_data
from extraction.baseline.locations import compatible
from extraction.baseline.mentions import Mentions, PlaceMention
from extraction.baseline.sentences import Document, QuotePiece, Sentence, clauses
from extraction.baseline.sources import unnamed_head
from extraction.baseline.spans import evidence
from extraction.baseline.weapons import WeaponMention, find_weapons
from schemas.aliases import ActorEntry, ActorKind, gazetteer
from schemas.event import EventDate
from schemas.statement import Statement
from schemas.vocab import Channel, StatementKind, TextType

MIN_QUOTE_WORDS = 4
ORG_DISTANCE = 60
"""How far (characters) an organisation may stand from a person's name to be theirs."""

_TOKEN = (
    r"(?:[A-Z][a-z’']+(?:-[A-Z][a-z]+)?|(?:al|el|bin|ibn|abu|Abu|Al|El)-[A-Z][a-z’']+"
    r"|\([A-Z][a-z]+\))"
)
_TITLES = (
    r"Grand\s+Ayatollah|Ayatollah|Hojatoleslam|Lord|Sir|Dame|Mr\.|Mrs\.|Ms\.|Dr\.|Sardar|Sheikh"
)
_NAME = re.compile(
    rf"(?:(?P<title>{_TITLES})\s+)?(?P<name>{_TOKEN}(?:\s+(?:{_TOKEN}|of\s+[A-Z][a-z]+))*)"
)
_INTRO = re.compile(r"^(?:(?:In|At|On|Late on|Early on|Earlier|Later|Meanwhile)\b[^,]{0,60},\s*)")


@dataclass
class Speaker:
    person: str | None = None
    role: str | None = None
    org: ActorEntry | None = None

    @property
    def named(self) -> bool:
        return self.person is not None or self.org is not None


@dataclass
class StatementDraft:
    start: int  # the statement's text in the article
    end: int
    ev_start: int  # its evidence: the quote itself, or the paraphrasing sentence
    ev_end: int
    text_type: TextType
    speaker: Speaker
    verb: str | None
    channel: Channel
    sentence: int
    attribution: str  # the words around the quote that name the speaker
    date: DateMention | None = None
    occasion: StatementDraft | None = None  # the first segment of the same tweet / statement
    kind_hint: StatementKind | None = None  # set when the sentence's shape decides the kind


# ---------------------------------------------------------------------------------------------
# lexicon


@cache
def _verb_regex() -> str:
    verbs = sorted(statements_data().speech_verbs, key=len, reverse=True)
    return "|".join(v.replace(" ", r"\s+") for v in verbs)


@cache
def _after_quote() -> re.Pattern[str]:
    v = _verb_regex()
    return re.compile(
        rf"^[,\s]*(?:(?P<subj>[^“”\"]{{1,160}}?)\s+(?P<verb>{v}|read)\b(?P<rest>[^“”\"]*)"
        rf"|(?P<verb2>said|says|added|tweeted|wrote|continued)\s+(?P<subj2>[^“”\"]{{2,160}}?)"
        rf"(?:,\s*(?P<rest2>(?:addressing|speaking|in|at|on|according|while|who)\b[^“”\"]*))?\s*\.?\s*)$",
        re.IGNORECASE,
    )


@cache
def _before_quote() -> re.Pattern[str]:
    return re.compile(
        r"(?P<subj>[^“”\"]{1,320}?)\s*,?\s+(?P<verb>said|says|added|continued|declared|wrote|tweeted|stated|"
        r"warned|told\s+\w+(?:\s+\w+)?)(?P<rest>\s+(?:in\s+a\s+\w+(?:\s+\w+)?|on\s+\w+|that))?\s*:\s*$",
        re.IGNORECASE,
    )


@cache
def _paraphrase_verbs() -> re.Pattern[str]:
    return re.compile(
        rf"(?<![\w])(?:(?:has|have|had|also|are|is|already)\s+)*(?P<verb>{_verb_regex()})(?![\w])",
        re.IGNORECASE,
    )


@cache
def _relation_before() -> re.Pattern[str]:
    words = "|".join(w.replace(" ", r"\s+") for w in statements_data().speaker_relation_words)
    return re.compile(rf"\b(?:{words})\s+(?:the\s+)?$", re.IGNORECASE)


@cache
def _attack_words() -> re.Pattern[str]:
    return phrase_regex(statements_data().attack_words)


@cache
def _clause_verbs() -> re.Pattern[str]:
    return phrase_regex(statements_data().clause_verbs)


@cache
def _relay() -> re.Pattern[str]:
    return phrase_regex(statements_data().relay_words)


@cache
def _head_roles() -> re.Pattern[str]:
    return phrase_regex(statements_data().head_roles)


@cache
def _roles() -> re.Pattern[str]:
    return phrase_regex(statements_data().roles)


@cache
def _channels() -> list[tuple[Channel, re.Pattern[str]]]:
    return [(c.channel, phrase_regex(c.patterns)) for c in statements_data().channels]


@cache
def _kind_cues() -> list[tuple[StatementKind, re.Pattern[str]]]:
    return [(k.kind, phrase_regex(k.patterns)) for k in statements_data().kind_cues]


@cache
def _verb_kinds() -> dict[str, StatementKind]:
    return {
        " ".join(v.lower().split()): kind
        for kind, verbs in statements_data().verb_kinds.items()
        for v in verbs
    }


@cache
def _pronouns() -> frozenset[str]:
    return frozenset(statements_data().pronouns)


@cache
def _unnamed() -> re.Pattern[str]:
    return phrase_regex(statements_data().unnamed_sources)


@cache
def _not_names() -> frozenset[str]:
    return frozenset(statements_data().not_names)


@cache
def _analyst() -> re.Pattern[str]:
    return phrase_regex(statements_data().analyst_roles)


# ---------------------------------------------------------------------------------------------
# speakers


def _blank_spans(text: str, offset: int, spans: Sequence[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(max(0, s - offset), min(len(chars), e - offset)):
            chars[i] = "#"
    return "".join(chars)


def _names(
    doc: Document,
    mentions: Mentions,
    start: int,
    end: int,
    known: Mapping[str, str] | None = None,
) -> list[tuple[int, int, str, str | None]]:
    """Person names in ``text[start:end]``: (start, end, name, title). A lone surname counts
    when it belongs to a person named in full earlier (``known``: surname -> full name)."""
    spans = [(a.start, a.end) for a in mentions.actors if a.start < end and a.end > start]
    spans += [(p.start, p.end) for p in mentions.places if p.start < end and p.end > start]
    spans += [(start + m.start(), start + m.end()) for m in _roles().finditer(doc.text[start:end])]
    masked = _blank_spans(doc.text[start:end], start, spans)
    out = []
    for m in _NAME.finditer(masked):
        tokens = [t for t in re.findall(r"[\w’'()-]+", m.group("name")) if t != "of"]
        tokens = [t for t in tokens if t.strip("()") not in _not_names()]
        if not tokens:
            continue
        title = m.group("title")
        whole = m.group("name")
        first = re.findall(r"[\w’'()-]+", whole)[0]
        if first.strip("()") in _not_names():
            continue
        if len(tokens) >= 2 or title or (known is not None and tokens[0] in known):
            s = start + (
                m.start("title") if title and title in ("Lord", "Sir", "Dame") else m.start("name")
            )
            out.append((s, start + m.end("name"), doc.text[s : start + m.end("name")], title))
    return out


def clean_name(name: str) -> str:
    """A person's name without titles, honorifics or a territorial "of ..." ("Lord (Tariq) Ahmad
    of Wimbledon" is "Tariq Ahmad"; "Sardar Pakpour" is "Pakpour").

    >>> clean_name("Lord (Tariq) Ahmad of Wimbledon"), clean_name("Mr. al-Kadhimi")
    ('Tariq Ahmad', 'al-Kadhimi')
    """
    name = re.sub(rf"^(?:(?:{_TITLES})\s+)+", "", name.strip())
    name = re.sub(r"\s+of\s+[A-Z][\w’'-]+$", "", name)
    return " ".join(name.replace("(", "").replace(")", "").split())


@dataclass
class _People:
    full: dict[str, str] = field(default_factory=dict)  # surname -> full name
    org: dict[str, ActorEntry] = field(default_factory=dict)
    role: dict[str, str] = field(default_factory=dict)

    def resolve(self, name: str) -> str:
        name = clean_name(name)
        if " " not in name.strip():
            return self.full.get(name, name)
        return name


def _people(doc: Document, mentions: Mentions) -> _People:
    people = _People()
    for s in doc.sentences:
        for ns, _ne, name, _title in _names(doc, mentions, s.start, s.end):
            clean = clean_name(name)
            if " " in clean:
                people.full.setdefault(clean.split()[-1], clean)
            before = [
                a
                for a in mentions.actors
                if a.end <= ns and ns - a.end <= 25 and not a.entry.generic
            ]
            if before:
                gap = doc.text[before[-1].end : ns]
                role = _roles().search(gap) or _roles().search(before[-1].text)
                if re.fullmatch(r"[\s\w.’']*", gap):
                    people.org.setdefault(clean, before[-1].entry)
                    if role:
                        people.role.setdefault(clean, role.group())
    return people


def _antecedent(
    pronoun: str, previous: StatementDraft | None, earlier: Sequence[StatementDraft], sentence: int
) -> Speaker | None:
    """Whom "it", "he" or "the statement" stands for: "he"/"she" the nearest earlier named
    person; "the statement" the latest written statement; "it", "they" the previous speaker."""
    if pronoun in ("he", "she"):
        person = next((d for d in reversed(earlier) if d.speaker.person), None)
        if person is not None:
            return Speaker(person.speaker.person, person.speaker.role, person.speaker.org)
    if pronoun.startswith(("the statement", "the government statement")):
        written = next((d for d in reversed(earlier) if d.channel is Channel.STATEMENT), None)
        if written is not None and sentence - written.sentence <= 3:
            return Speaker(None, None, written.speaker.org)
    if previous is not None and sentence - previous.sentence <= 2:
        return Speaker(None, None, previous.speaker.org)
    return None


def _role_holder(
    doc: Document, start: int, end: int, people: _People
) -> list[tuple[int, int, str, str | None]]:
    """ "the prime minister said": the one person named earlier with that role, if exactly one."""
    m = re.search(rf"\bthe\s+(?P<role>{_roles().pattern})\s*$", doc.text[start:end], re.I)
    if m is None:
        return []
    role = m.group("role").lower()
    holders = sorted({n for n, r in people.role.items() if r.lower() == role})
    if len(holders) != 1:
        return []
    return [(start + m.start(), start + m.end(), holders[0], None)]


def _speaker(
    doc: Document,
    mentions: Mentions,
    start: int,
    end: int,
    people: _People,
    previous: StatementDraft | None,
    sentence: int,
    *,
    adjacent: bool = True,
    earlier: Sequence[StatementDraft] = (),
) -> Speaker | None:
    """The speaker named in ``text[start:end]`` (an attribution's subject); with ``adjacent``,
    the speaker must stand close to the end of the span (the speech verb)."""
    subject = doc.text[start:end].strip(" ,")
    lowered = subject.lower()
    anaphor = next(
        (a for a in mentions.actors if a.via == "anaphor" and start <= a.start < end), None
    )
    if anaphor is not None and not lowered.startswith("the statement"):
        return Speaker(None, None, anaphor.entry)
    if lowered in _pronouns() or lowered.startswith(("the statement", "the government statement")):
        return _antecedent(lowered, previous, earlier, sentence)
    actors = [
        a
        for a in mentions.actors
        if start <= a.start
        and a.end <= end
        and not a.entry.generic
        and a.entry.kind is not ActorKind.PEOPLE
        and not _relation_before().search(doc.text[max(0, a.start - 30) : a.start])
    ]
    names = _names(doc, mentions, start, end, people.full)
    if not names and not actors:
        names = _role_holder(doc, start, end, people)
    unnamed = unnamed_head().match(subject)
    if (
        unnamed
        and not names
        and not any(a.start <= start + unnamed.end() - 1 < a.end for a in mentions.actors)
    ):
        return None  # "A source in the KDP-I", "Senior Iraqi security officials": anonymous
    nearest = max([a.end for a in actors] + [n[1] for n in names], default=None)
    if nearest is None or (adjacent and len(re.findall(r"[\w’']+", doc.text[nearest:end])) > 6):
        return None
    role_m = _roles().search(doc.text, start, end)
    role = _role_text(doc, mentions, role_m, end) if role_m else None
    person = None
    org: ActorEntry | None = None
    if names:
        lead = [n for n in names if n[0] - start <= 4]
        ns, ne, name, _title = lead[0] if lead else names[-1]
        person = people.resolve(name)
        near = [a for a in actors if min(abs(a.start - ne), abs(ns - a.end)) <= ORG_DISTANCE]
        if near:
            org = min(near, key=lambda a: min(abs(a.start - ne), abs(ns - a.end))).entry
        else:
            org = people.org.get(person)
            if org is None and previous is not None and previous.sentence >= sentence - 1:
                org = previous.speaker.org
        role = role or people.role.get(person)
        if role is None and org is not None:
            alias_role = next((_roles().search(a.text) for a in actors if a.entry == org), None)
            role = alias_role.group() if alias_role else None
    elif actors:
        org = actors[-1].entry
    if person is None and org is None:
        return None
    head = role or next((a.text for a in actors if a.entry == org), "")
    if org is not None and org.kind is ActorKind.GOVERNMENT_BODY and _head_roles().search(head):
        states = [e for e in _lineage(org) if e.kind is ActorKind.STATE]
        org = states[0] if states else org  # a head of government speaks for the government
    if (
        person is None
        and org is not None
        and _unnamed().fullmatch(subject.split()[-1] if subject else "")
    ):
        org = org  # "Kurdistan officials": the organisation speaks through unnamed officials
    return Speaker(person, role, org)


def _role_text(doc: Document, mentions: Mentions, m: re.Match[str], end: int) -> str:
    """The role as written, with a "for <portfolio>" part (not "for <organisation>") up to the
    first "and" ("Minister of State for the Middle East, South Asia, UN")."""
    role = m.group()
    rest = doc.text[m.end() : end]
    if not rest.startswith(" for "):
        return role
    obj = m.end() + len(" for ")
    if any(a.start <= obj + 4 and a.end > obj for a in mentions.actors):
        return role
    stop = re.search(r"\s+and\s+", rest)
    return role + (rest[: stop.start()] if stop else rest).rstrip(" ,")


def _channel(text: str) -> Channel:
    for channel, rx in _channels():
        if rx.search(text):
            return channel
    return Channel.UNKNOWN


# ---------------------------------------------------------------------------------------------
# finding statements


def _sentence_of(doc: Document, offset: int) -> Sentence | None:
    return doc.sentence_at(offset)


class _Finder:
    """Walks quotes and sentences in text order, keeping the previous statement for "it said"."""

    def __init__(self, doc: Document, mentions: Mentions) -> None:
        self.doc = doc
        self.mentions = mentions
        self.people = _people(doc, mentions)
        self.out: list[StatementDraft] = []
        self.quote_sentences: set[int] = set()
        self.previous_piece: QuotePiece | None = None

    @property
    def previous(self) -> StatementDraft | None:
        return self.out[-1] if self.out else None

    def run(self) -> list[StatementDraft]:
        steps: list[tuple[float, QuotePiece | Sentence]] = [(q.start, q) for q in self.doc.quotes]
        steps += [(s.end - 0.5, s) for s in self.doc.sentences]
        for _, item in sorted(steps, key=lambda x: x[0]):
            if isinstance(item, QuotePiece):
                self.quote(item)
            else:
                self.paraphrase(item)
        return self.out

    def speaker(
        self, start: int, end: int, sentence: int, *, adjacent: bool = True
    ) -> Speaker | None:
        return _speaker(
            self.doc,
            self.mentions,
            start,
            end,
            self.people,
            self.previous,
            sentence,
            adjacent=adjacent,
            earlier=self.out,
        )

    def quote(self, piece: QuotePiece) -> None:
        doc, text = self.doc, self.doc.text
        if piece.words < MIN_QUOTE_WORDS:
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
        prev = self.previous_piece
        before_start = max(sentence.start, prev.end if prev and prev.block == piece.block else 0)
        before = text[before_start : piece.start]
        previous = self.previous
        draft: StatementDraft | None = None
        m = _after_quote().match(after) if after.strip() else None
        if m is not None:
            subj_group = "subj" if m.group("subj") is not None else "subj2"
            verb = m.group("verb") or m.group("verb2")
            rest = m.group("rest") or m.group("rest2") or ""
            ss, se = piece.end + m.start(subj_group), piece.end + m.end(subj_group)
            speaker = self.speaker(ss, se, sentence.index, adjacent=False)
            if speaker is not None:
                draft = _draft(doc, piece, speaker, verb, after, end_sentence.index, rest)
        if draft is None:
            b = _before_quote().search(before)
            if b is not None:
                ss, se = before_start + b.start("subj"), before_start + b.end("subj")
                intro = _INTRO.match(text[ss:se])
                if intro:
                    ss += intro.end()
                speaker = self.speaker(ss, se, sentence.index)
                if speaker is not None:
                    draft = _draft(
                        doc,
                        piece,
                        speaker,
                        b.group("verb"),
                        before,
                        sentence.index,
                        b.group("rest") or "",
                    )
        if draft is None and previous is not None and _continues(doc, previous, piece, before):
            draft = _draft(
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
            self.out.append(draft)
            self.quote_sentences.update({sentence.index, end_sentence.index})
        self.previous_piece = piece

    def paraphrase(self, sentence: Sentence) -> None:
        if (
            sentence.headline
            or sentence.index in self.quote_sentences
            or not sentence.plain.strip()
        ):
            return
        for cs, ce in clauses(sentence):
            drafts = self._paraphrase(sentence, cs, ce)
            if drafts:
                self.out.extend(drafts)
                return
        claim = self._claimed_by(sentence)
        if claim is not None:
            self.out.append(claim)

    def _paraphrase(self, sentence: Sentence, cs: int, ce: int) -> list[StatementDraft]:
        doc = self.doc
        plain = doc.plain
        trailing = re.search(
            r",\s*(?P<subj>[^,;“”\"]{2,90}?)\s+(?:has\s+|have\s+)?"
            r"(?P<verb>said|says|reported|reports|added|claimed)"
            r"(?:\s+(?:in\s+a\s+\w+(?:\s+\w+)?|on\s+\w+|late\s+on\s+\w+|\w+day))?"
            r"(?:\s*,\s*according\s+to\s+[^.]+)?\s*\.?\s*$",
            plain[cs:ce],
        )
        candidates: list[
            tuple[int, int, int, str, bool]
        ] = []  # subject, verb start, verb, trailing
        if trailing:
            ss, se = cs + trailing.start("subj"), cs + trailing.end("subj")
            candidates.append((ss, se, se, trailing.group("verb"), True))
        for m in _paraphrase_verbs().finditer(plain, cs, ce if not trailing else cs):
            intro = _INTRO.match(plain[cs : m.start()])
            ss = cs + (intro.end() if intro else 0)
            if any(ms < m.start() and me > ss for ms, me in doc.masked):
                continue
            if len(re.findall(r"\w+", plain[m.end() : ce])) >= 3:  # something is reported
                candidates.append((ss, m.start(), m.start(), m.group("verb"), False))
            break
        for ss, se, verb_at, verb, is_trailing in candidates:
            if se <= ss:
                continue
            speaker = self.speaker(ss, se, sentence.index)
            channel = _channel(doc.text[sentence.start : sentence.end])
            if speaker is None and not is_trailing:
                speaker = self._relayed(ss, se, verb_at, ce)
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
                _draft(doc, q, speaker, verb, paraphrase.attribution, sentence.index, "")
                for q in doc.quotes
                if sentence.start <= q.start < sentence.end
                and q.words >= MIN_QUOTE_WORDS
                and _forms_clause(doc.text[q.content_start : q.content_end])
            ]
            for q in clause_quotes:
                q.channel = channel
            return clause_quotes or [paraphrase]
        return []

    def _relayed(self, ss: int, se: int, verb_at: int, end: int) -> Speaker | None:
        """ "official television in Iran said that the Revolutionary Guards had ...": the party
        whose words the medium relays is the speaker."""
        subject = self.doc.text[ss:se]
        media = any(a.entry.kind is ActorKind.MEDIA for a in self.mentions.actors_in(ss, se))
        if not (media or _relay().search(subject)):
            return None
        after = [
            a
            for a in self.mentions.actors_in(verb_at, end)
            if not a.entry.generic and a.start - verb_at <= 40
        ]
        return Speaker(None, None, after[0].entry) if after else None

    def _claimed_by(self, sentence: Sentence) -> StatementDraft | None:
        """ "... were claimed by the Islamic State": a claim by the actor after "claimed by"."""
        m = cue("claimed_by").search(self.doc.plain, sentence.start, sentence.end)
        if m is None:
            return None
        actor = next(
            (
                a
                for a in self.mentions.actors_in(m.end(), sentence.end)
                if not a.entry.generic and a.start - m.end() <= 10
            ),
            None,
        )
        if actor is None:
            return None
        end = _trim_end(self.doc.text, sentence.start, sentence.end)
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
            self.doc.text[sentence.start : sentence.end],
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


def _draft(
    doc: Document,
    piece: QuotePiece,
    speaker: Speaker,
    verb: str,
    attribution: str,
    sentence: int,
    rest: str,
) -> StatementDraft:
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
        _channel(attribution),
        sentence,
        attribution,
        date,
    )


def find_statements(doc: Document, mentions: Mentions) -> list[StatementDraft]:
    """Statement drafts in text order."""
    return sorted(_Finder(doc, mentions).run(), key=lambda d: d.start)


# ---------------------------------------------------------------------------------------------
# kinds, links, schema objects


def _lineage(entry: ActorEntry | None) -> list[ActorEntry]:
    return gazetteer().actor_lineage(entry.canonical) if entry is not None else []


def _statement_text(doc: Document, d: StatementDraft) -> str:
    return doc.text[d.start : d.end]


def statement_kind(doc: Document, d: StatementDraft, linked: Sequence[EventDraft]) -> StatementKind:
    """The statement's kind: the sentence's shape, a stance verb, then cue words in the
    guidelines' precedence (claim, denial, threat, a perpetrator's report of its attack as a
    claim, demand, accusation, condemnation, justification), an analyst's words, a report."""
    if d.kind_hint is not None:
        return d.kind_hint
    if d.occasion is None:
        verb_kind = _verb_kinds().get(d.verb or "")
        if verb_kind is not None:
            return verb_kind
    text = _statement_text(doc, d)
    org = d.speaker.org
    perps = {e for ev in linked for p in ev.perpetrator_entries() for e in _lineage(p)}
    cues = {kind: bool(rx.search(text)) for kind, rx in _kind_cues()}
    for kind in (StatementKind.CLAIM_OF_RESPONSIBILITY, StatementKind.DENIAL, StatementKind.THREAT):
        if cues.get(kind):
            return kind
    if org is not None and org in perps and (cues.get(StatementKind.REPORT)):
        return StatementKind.CLAIM_OF_RESPONSIBILITY
    for kind in (
        StatementKind.DEMAND,
        StatementKind.ACCUSATION,
        StatementKind.CONDEMNATION,
        StatementKind.JUSTIFICATION,
    ):
        if cues.get(kind):
            return kind
    analyst = (org is not None and org.kind is ActorKind.THINK_TANK) or (
        d.speaker.role is not None and bool(_analyst().search(d.speaker.role))
    )
    if analyst:
        return StatementKind.ANALYSIS
    if cues.get(StatementKind.REPORT):
        return StatementKind.REPORT
    return StatementKind.OTHER


def _mentioned_places(mentions: Mentions, start: int, end: int) -> list[PlaceMention]:
    return [p for p in mentions.places if start <= p.start and p.end <= end]


def link_events(
    doc: Document,
    mentions: Mentions,
    d: StatementDraft,
    drafts: Sequence[EventDraft],
    *,
    reacting: bool = False,
    site_level: bool = False,
) -> list[EventDraft]:
    """The events a statement is about: those told in its own sentence; else those in the places
    it names; else, when it speaks of attacks or is a reaction (``reacting``: a condemnation,
    demand, threat), the reported ones."""
    sentences = {d.sentence}
    in_sentence = [e for e in drafts if sentences & {c.sentence.index for c in e.group.cands}]
    if site_level:  # a report of facts at one site ("Missiles were also launched at Komala")
        in_sentence = [e for e in in_sentence if sentences & set(e.site.sentences)] or in_sentence
    if in_sentence and d.text_type is TextType.PARAPHRASE:
        return in_sentence
    text = _statement_text(doc, d) + " " + d.attribution
    if not _attack_words().search(text) and not in_sentence and not reacting:
        return []
    places = _mentioned_places(mentions, d.start, d.end)
    by_place = [
        e
        for e in drafts
        if e.standing.value == "reported"
        and e.location.country is not None
        and any(
            (p.entry.country == e.location.country and p.entry.kind.value == "country")
            or _place_fits(p, e)
            for p in places
        )
    ]
    if by_place:
        return by_place
    if in_sentence:
        return in_sentence
    return [e for e in drafts if e.standing.value == "reported"]


def _place_fits(p: PlaceMention, e: EventDraft) -> bool:
    return e.place is not None and compatible(p.entry, e.place.entry)


def claim_weapons(doc: Document, d: StatementDraft) -> list[WeaponMention]:
    """Weapons a claim names in its own words ("destroyed with ballistic missiles")."""
    return find_weapons(doc.text, d.start, d.end)


_ADDRESS_VERB = re.compile(
    r"\b(?:call(?:s|ed|ing)?\s+(?:on|upon)|urg(?:e|es|ed|ing)|condemn(?:s|ed|ing)?|denounc(?:e|es|ed|ing)|"
    r"blam(?:e|es|ed|ing)|accus(?:e|es|ed|ing))\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_DEMONYM = re.compile(r"\b[A-Z][a-z]+\b")


def _addressed(
    doc: Document, mentions: Mentions, start: int, end: int, culprits: set[ActorEntry]
) -> list[ActorEntry]:
    """Whom a statement addresses or accuses: an actor right after "call on" / "condemned" /
    "blamed", or one of the attack's perpetrators (by name or demonym: "the Iranian attacks")."""
    found: list[tuple[int, ActorEntry]] = []
    for a in mentions.actors:
        if not (start <= a.start and a.end <= end) or a.entry.generic:
            continue
        if a.entry.kind in (ActorKind.MEDIA, ActorKind.PEOPLE, ActorKind.NGO, ActorKind.THINK_TANK):
            continue
        lineage = _lineage(a.entry)
        addressed = bool(_ADDRESS_VERB.search(doc.text[max(0, a.start - 30) : a.start]))
        if addressed or set(lineage) & culprits:
            found.append(
                (a.start, lineage[-1] if a.entry.kind is ActorKind.ARMED_FORCES else a.entry)
            )
    for m in _DEMONYM.finditer(doc.text, start, end):
        forces = gazetteer().actor_for_demonym(m.group())
        if forces is not None and set(_lineage(forces)) & culprits:
            found.append((m.start(), _lineage(forces)[-1]))
    out: list[ActorEntry] = []
    for _, e in sorted(found, key=lambda x: x[0]):
        if e not in out:
            out.append(e)
    return out


def to_statement(
    doc: Document,
    mentions: Mentions,
    d: StatementDraft,
    sid: str,
    kind: StatementKind,
    about: Sequence[EventDraft],
    anchor: dt.date | None,
) -> Statement:
    text = doc.text
    org = d.speaker.org
    own = set(_lineage(org))
    targets: list[str] = []
    if kind in (StatementKind.CLAIM_OF_RESPONSIBILITY, StatementKind.JUSTIFICATION):
        enemies = {e for ev in about for t in ev.site.targets for e in _lineage(t.entry)}
        for entry in _addressed(doc, mentions, d.start, d.end, enemies):
            if entry not in own and entry.canonical not in targets:
                targets.append(entry.canonical)
    if kind in (
        StatementKind.CONDEMNATION,
        StatementKind.DEMAND,
        StatementKind.ACCUSATION,
        StatementKind.THREAT,
        StatementKind.DENIAL,
    ):
        culprits = {e for ev in about for p in ev.perpetrator_entries() for e in _lineage(p)}
        for entry in _addressed(doc, mentions, d.start, d.end, culprits):
            if entry not in own and entry.canonical not in targets:
                targets.append(entry.canonical)
    date: EventDate | None = None
    if d.date is not None:
        date = resolve(d.date, anchor).model_copy(
            update={"evidence": evidence(text, d.date.start, d.date.end)}
        )
    return Statement(
        id=sid,
        speaker=d.speaker.person,
        role=d.speaker.role,
        organisation=org.canonical if org else None,
        kind=kind,
        about_events=[e.id for e in about],
        targets=targets,
        channel=d.channel,
        date=date,
        text=text[d.start : d.end],
        text_type=d.text_type,
        evidence=evidence(text, d.ev_start, d.ev_end),
    )
