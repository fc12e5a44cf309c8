"""The offline, rule-based extractor: no network, no model, same records as the model path.

It reads only the article's content blocks (``extraction.pipeline.page``), finds actors and places
through
the curated alias tables (``gazetteer``), and fills :class:`schemas.ArticleExtraction` with
attack events and statements whose every evidence span is exact. Phrase lists live in
``extraction/baseline/data/``.

>>> from schemas.article import Article
>>> a = Article(id="demo", text="Drone strikes targeted the PDKI in Koya district in Erbil "
...             "province on Monday, killing at least two people, officials said.")
>>> x = extract_baseline(a)
>>> e = x.events[0]
>>> (e.sub_type.value, e.location.admin2, e.location.admin1, e.date.phrase, e.date.value)
('air_drone_strike', 'Koya', 'Erbil', 'on Monday', None)
>>> [(c.kind.value, c.low, c.qualifier.value, c.reported_by) for c in e.casualties]
[('killed', 2, 'at_least', 'officials')]
>>> x.producer.kind, x.producer.name
('baseline', 'sitrep-baseline')
"""

from __future__ import annotations

from extraction.baseline.events.event_records import finish
from extraction.baseline.events.events import EventDraft, detect_events, same_side
from extraction.baseline.mentions.mentions import find_mentions
from extraction.baseline.statements.statement_kinds import statement_kind
from extraction.baseline.statements.statement_links import claim_weapons, link_events
from extraction.baseline.statements.statement_records import to_statement
from extraction.baseline.statements.statements import find_statements
from extraction.baseline.text.sentences import read_document
from gazetteer import ActorEntry
from schemas.article import Article
from schemas.evidence import grounding_context
from schemas.records import ArticleExtraction, Producer, schema_hash
from schemas.statement import Statement
from schemas.vocab import DatePrecision, Standing, StatementKind

_REACTIONS = frozenset(
    {
        StatementKind.DENIAL,
        StatementKind.CONDEMNATION,
        StatementKind.DEMAND,
        StatementKind.THREAT,
        StatementKind.JUSTIFICATION,
        StatementKind.CLAIM_OF_RESPONSIBILITY,
    }
)

BASELINE_NAME = "sitrep-baseline"
BASELINE_VERSION = "0.1.0"

__all__ = ["BASELINE_NAME", "BASELINE_VERSION", "baseline_producer", "extract_baseline"]


def baseline_producer() -> Producer:
    """The :class:`Producer` every baseline extraction names."""
    return Producer(
        kind="baseline", name=BASELINE_NAME, version=BASELINE_VERSION, schema_hash=schema_hash()
    )


def _add_claim(draft: EventDraft, org: ActorEntry) -> None:
    """A claim statement by an event's perpetrator (or, when none is named, by anyone) makes
    the event claimed."""
    perps = draft.perpetrator_entries()
    if perps and org not in perps:
        return
    if org not in draft.extra_claims and all(org not in c.claims for c in draft.group.cands):
        draft.extra_claims.append(org)


def extract_baseline(article: Article) -> ArticleExtraction:
    """Events and statements of ``article`` by rule; validated against the article's text."""
    doc = read_document(article.text)
    mentions = find_mentions(doc)
    anchor = article.publication_date
    drafts = detect_events(doc, mentions, anchor)
    statements: list[Statement] = []
    links: dict[int, list[EventDraft]] = {}
    for i, d in enumerate(find_statements(doc, mentions), start=1):
        if d.occasion is not None and id(d.occasion) in links:
            linked = links[id(d.occasion)]  # segments of one occasion share their events
            kind = statement_kind(doc, d, linked)
        else:
            linked = link_events(doc, mentions, d, drafts)
            kind = statement_kind(doc, d, linked)
            if kind in _REACTIONS and not linked:
                linked = link_events(doc, mentions, d, drafts, reacting=True)
            if kind is StatementKind.REPORT:
                linked = link_events(doc, mentions, d, drafts, site_level=True)
        links[id(d)] = linked
        if kind is StatementKind.CLAIM_OF_RESPONSIBILITY and d.speaker.org is not None:
            weapons = claim_weapons(doc, d)
            for e in linked:
                _add_claim(e, d.speaker.org)
                if not e.group.weapons() and not e.extra_weapons:
                    e.extra_weapons.extend(weapons)
        statements.append(to_statement(doc, mentions, d, f"S{i}", kind, linked, anchor))
    reported = {
        dr.id: finish(doc, dr, anchor, mentions.country)
        for dr in drafts
        if dr.standing is Standing.REPORTED
    }
    lead = next((dr for dr in drafts if dr.id in reported), None)
    events = []
    for dr in drafts:
        if dr.id in reported:
            events.append(reported[dr.id])
            continue
        inherit = reported[lead.id].sub_type if lead and same_side(dr, lead) else None
        events.append(finish(doc, dr, anchor, mentions.country, inherit))
    warnings = [
        f"{e.id}: date phrase {e.date.phrase!r} left unresolved (no publication date to anchor it)"
        for e in events
        if e.date.phrase and e.date.precision is DatePrecision.UNRESOLVED
    ]
    extraction = ArticleExtraction(
        article_id=article.id,
        events=events,
        statements=statements,
        producer=baseline_producer(),
        warnings=warnings,
    )
    context = grounding_context(article.text)
    if anchor is not None:
        context["publication_date"] = anchor
    return ArticleExtraction.model_validate(extraction.model_dump(), context=context)
