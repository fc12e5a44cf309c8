"""Statements: quoted words with their speaker, and the article's paraphrases of what was said.

A quote of four words or more is a statement when an attribution is attached to it: after it
('“...,” U.S. State Department spokesman Ned Price said in a statement', '“...,” said Qais
al-Khazali'), or before it with a colon ('Lord Ahmad ... said: “...”', 'It continued: “...”').
A quote that simply goes on after its attribution, in the same paragraph or the next, belongs to
the statement before it. "it", "he" and "the statement" carry the previous speaker. A sentence
whose subject is a named actor or person and whose verb is a speech or stance verb ("The UK
condemned ...", "The PDKI said ...") is a paraphrase. The kind comes from the verb, else from cue
words in priority order (``data/statements.json``); an analyst's words are analysis.

The parts: ``quotes`` (quotes and their attribution), ``paraphrases`` (paraphrases and
passive claims), ``speakers`` and ``person_names`` (who speaks), ``statement_kinds``
(kind and channel), ``statement_links`` (the events a statement is about) and
``statement_records`` (the records).

>>> from extraction.baseline.text.sentences import read_document
>>> from extraction.baseline.mentions.mentions import find_mentions
>>> doc = read_document("Iran fired missiles at Erbil. “We call on Iran to stop these attacks,” "
...                     "U.S. State Department spokesman Ned Price said in a statement.")
>>> s = find_statements(doc, find_mentions(doc))[0]
>>> doc.text[s.start:s.end], s.channel.value
('We call on Iran to stop these attacks', 'statement')
>>> s.speaker.person, s.speaker.role, s.speaker.org.canonical
('Ned Price', 'spokesman', 'US State Department')
"""

from __future__ import annotations

from extraction.baseline.mentions.mentions import Mentions
from extraction.baseline.mentions.person_names import known_people
from extraction.baseline.statements.paraphrases import read_paraphrase
from extraction.baseline.statements.quotes import read_quote
from extraction.baseline.statements.statement_drafts import StatementDraft, Walk
from extraction.baseline.text.sentences import Document, QuotePiece, Sentence


def find_statements(doc: Document, mentions: Mentions) -> list[StatementDraft]:
    """Statement drafts in text order: quotes and sentences are read in text order, each
    sentence after the quotes in it, so that "it said" finds the statement before it."""
    walk = Walk(doc, mentions, known_people(doc, mentions))
    steps: list[tuple[float, QuotePiece | Sentence]] = [(q.start, q) for q in doc.quotes]
    steps += [(s.end - 0.5, s) for s in doc.sentences]
    for _, item in sorted(steps, key=lambda x: x[0]):
        if isinstance(item, QuotePiece):
            read_quote(walk, item)
        else:
            read_paraphrase(walk, item)
    return sorted(walk.out, key=lambda d: d.start)
