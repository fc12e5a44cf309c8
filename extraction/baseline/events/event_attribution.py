"""Who an event is attributed to, and on whose word (:class:`~schemas.event.Attribution`).

Claims (in the clauses, or by a claim statement) come first, then accusations of others ("X
blamed Y for the attack"), then "no one claimed responsibility" where the article says so. A
threatened attack is claimed by those who threaten it. Otherwise the first perpetrator the
article names is *reported*, by the source of the clause that names it; an event with no
perpetrator and no attribution is unattributed.
"""

from __future__ import annotations

from extraction.baseline.events.candidates import Candidate
from extraction.baseline.events.events import EventDraft
from extraction.baseline.mentions.actors import RoleActor
from extraction.baseline.statements.sources import find_source
from extraction.baseline.text.sentences import Document
from extraction.baseline.text.spans import evidence
from gazetteer import ActorEntry
from schemas.event import Attribution
from schemas.vocab import AttributionKind, Standing


def attributions(
    doc: Document, draft: EventDraft, perps: list[RoleActor], ev_start: int, ev_end: int
) -> list[Attribution]:
    """The attribution of ``draft``, whose perpetrators are ``perps`` and whose evidence clause
    is ``text[ev_start:ev_end]``."""
    text = doc.text
    g = draft.group
    attribution: list[Attribution] = []
    claimers: list[tuple[ActorEntry, Candidate | None]] = [
        (e, c) for c in g.cands for e in c.claims
    ] + [(e, None) for e in draft.extra_claims]
    for entry, claim_cand in claimers:
        if any(
            a.kind is AttributionKind.CLAIMED and a.perpetrator == entry.canonical
            for a in attribution
        ):
            continue
        if claim_cand is not None:  # the sentence of the claim
            s = doc.sentences[claim_cand.sentence.index]
            span = (s.start, s.end)
        else:  # a claim statement's: the event's own clause
            span = (ev_start, ev_end)
        attribution.append(
            Attribution(
                kind=AttributionKind.CLAIMED,
                perpetrator=entry.canonical,
                by=entry.canonical,
                evidence=evidence(text, *span),
            )
        )
    for c in g.cands:
        for accused, by in c.accusations:
            if any(a.perpetrator == accused.canonical for a in attribution):
                continue
            attribution.append(
                Attribution(
                    kind=AttributionKind.ACCUSED,
                    perpetrator=accused.canonical,
                    by=by,
                    evidence=evidence(text, c.sentence.start, c.sentence.end),
                )
            )
    for c in g.cands:
        if c.unattributed and not any(a.kind is AttributionKind.UNATTRIBUTED for a in attribution):
            attribution.append(
                Attribution(
                    kind=AttributionKind.UNATTRIBUTED,
                    evidence=evidence(text, c.sentence.start, c.sentence.end),
                )
            )
    if draft.standing is Standing.THREATENED:
        attribution = [
            Attribution(
                kind=AttributionKind.CLAIMED,
                perpetrator=p.entry.canonical,
                by=p.entry.canonical,
                evidence=evidence(text, ev_start, ev_end),
            )
            for p in perps
        ]
    elif perps and not any(
        a.kind in (AttributionKind.CLAIMED, AttributionKind.ACCUSED) for a in attribution
    ):
        first = perps[0]
        founding = next(
            (c for c in g.cands if any(p.entry == first.entry for p in c.perps)), g.cands[0]
        )
        source = find_source(doc.plain, founding.sentence.start, founding.sentence.end)
        attribution.append(
            Attribution(
                kind=AttributionKind.REPORTED,
                perpetrator=first.entry.canonical,
                by=doc.plain[source.start : source.end].strip() if source else None,
                evidence=evidence(text, founding.sentence.start, founding.sentence.end),
            )
        )
    if not attribution and not perps and not draft.extra_claims:
        attribution.append(Attribution(kind=AttributionKind.UNATTRIBUTED))  # the article is silent
    return attribution
