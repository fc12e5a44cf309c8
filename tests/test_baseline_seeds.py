"""The offline baseline on the five real eval articles: specific facts it must get right."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from evals.dataset import load_eval_articles
from extraction.baseline import BASELINE_NAME, extract_baseline
from schemas.article import Article
from schemas.event import AttackEvent, CasualtyFigure
from schemas.evidence import Evidence, grounding_context
from schemas.grounding import AlignmentStatus, align
from schemas.records import ArticleExtraction
from schemas.statement import Statement
from schemas.vocab import (
    ActorCategory,
    AttributionKind,
    CasualtyGroup,
    CasualtyKind,
    Channel,
    DatePrecision,
    GeoPrecision,
    Outcome,
    Qualifier,
    Standing,
    StatementKind,
    SubType,
    TextType,
)

SEEDS = ["000", "001", "002", "003", "004"]


@pytest.fixture(scope="module")
def seeds() -> dict[str, tuple[Article, ArticleExtraction]]:
    return {a.id[:3]: (a, extract_baseline(a)) for a in load_eval_articles()}


def _evidence(obj: object) -> Iterator[Evidence]:
    if isinstance(obj, Evidence):
        yield obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _evidence(getattr(obj, name))
    elif isinstance(obj, list):
        for item in obj:
            yield from _evidence(item)


def _figures(event: AttackEvent, kind: CasualtyKind) -> list[CasualtyFigure]:
    return [c for c in event.casualties if c.kind is kind]


def _reported(x: ArticleExtraction) -> list[AttackEvent]:
    return [e for e in x.events if e.standing is Standing.REPORTED]


def _statement(x: ArticleExtraction, speaker: str) -> Statement:
    found = [s for s in x.statements if s.speaker == speaker]
    assert found, f"no statement by {speaker}: {[s.speaker for s in x.statements]}"
    return found[0]


@pytest.mark.parametrize("seed", SEEDS)
def test_every_evidence_span_is_exact(
    seeds: dict[str, tuple[Article, ArticleExtraction]], seed: str
) -> None:
    article, x = seeds[seed]
    spans = list(_evidence(x))
    assert len(spans) >= 10
    for ev in spans:
        assert ev.start is not None and ev.end is not None
        assert article.text[ev.start : ev.end] == ev.quote
        assert ev.alignment is AlignmentStatus.EXACT
    for s in x.statements:
        if s.text_type is TextType.QUOTE:
            assert align(s.text, article.text).status is AlignmentStatus.EXACT
    again = ArticleExtraction.model_validate(
        x.model_dump(), context=grounding_context(article.text)
    )
    assert again == x
    assert (x.producer.kind, x.producer.name, x.article_id) == (
        "baseline",
        BASELINE_NAME,
        article.id,
    )


@pytest.mark.parametrize("seed", ["000", "002"])
def test_nothing_comes_from_the_page_header(
    seeds: dict[str, tuple[Article, ArticleExtraction]], seed: str
) -> None:
    article, x = seeds[seed]
    first_content = article.text.index("\n\n", article.text.index("2024")) + 2
    assert all(ev.start >= first_content for ev in _evidence(x))  # type: ignore[operator]
    assert all(e.date.value is None for e in x.events)  # no scrape date used as an anchor


def test_seed_001_health_ministry_figures(
    seeds: dict[str, tuple[Article, ArticleExtraction]],
) -> None:
    _, x = seeds["001"]
    lead = _reported(x)[0]
    killed = [c for c in _figures(lead, CasualtyKind.KILLED) if c.qualifier is Qualifier.AT_LEAST]
    assert [(c.low, c.best, c.high) for c in killed] == [(13, 13, None)]
    assert killed[0].reported_by == "Kurdistan Region Health Ministry"  # the Health Ministry ...
    injured = [c for c in _figures(lead, CasualtyKind.INJURED) if c.best == 58]
    assert [(c.low, c.high, c.qualifier) for c in injured] == [(58, 58, Qualifier.EXACT)]
    assert injured[0].evidence is not None and injured[0].evidence.quote == "wounded 58"
    women = [c for c in _figures(lead, CasualtyKind.KILLED) if c.group is CasualtyGroup.WOMEN]
    assert [(c.best, c.reported_by) for c in women] == [(2, "PDKI")]  # its spokesman Khalid Azizi
    us = [c for c in lead.casualties if c.group is CasualtyGroup.FOREIGN_NATIONALS]
    assert [(c.best, c.reported_by) for c in us] == [  # said twice: once, with its source
        (1, "source in the Kurdistan Democratic Party of Iran")
    ]
    assert all(c.qualifier is not Qualifier.SCORES for c in lead.casualties)  # "killed and injured"


def test_seed_001_three_sites_one_operation(
    seeds: dict[str, tuple[Article, ArticleExtraction]],
) -> None:
    _, x = seeds["001"]
    op = [e for e in x.events if e.operation_id is not None]
    assert len(op) == 3 and len({e.operation_id for e in op}) == 1
    assert [e.location.admin1 for e in op] == ["Erbil", "Sulaymaniyah", "Kirkuk"]
    assert [[t.canonical for t in e.targets] for e in op] == [["PDKI"], ["Komala"], ["PAK"]]
    assert (op[0].location.admin2, op[0].location.precision) == ("Koya", GeoPrecision.NEAR)
    assert op[0].location.evidence is not None
    assert op[0].location.evidence.quote == "Koysanjak district in Irbil"
    assert (op[1].location.place, op[1].location.precision) == ("Zarkwezela", GeoPrecision.PLACE)
    assert (op[2].location.place, op[2].location.precision) == (None, GeoPrecision.REGION)
    for e in op:
        assert e.standing is Standing.REPORTED
        assert e.sub_type is SubType.AIR_DRONE_STRIKE  # missiles and drones: the drone rule
        assert (e.date.phrase, e.date.precision) == ("on Wednesday", DatePrecision.UNRESOLVED)
        assert [p.canonical for p in e.perpetrators] == ["Iran"]
    missiles = [
        [(w.count, w.qualifier) for w in e.weapons if w.kind.value == "missile"] for e in op
    ]
    assert missiles == [[(73, Qualifier.AT_LEAST)], [(None, None)], [(None, None)]]
    assert not op[1].casualties and not op[2].casualties  # operation totals on the first site


def test_seed_001_campaigns_and_protest_tolls_are_not_events(
    seeds: dict[str, tuple[Article, ArticleExtraction]],
) -> None:
    _, x = seeds["001"]
    assert [e.standing for e in x.events] == [Standing.REPORTED] * 3 + [Standing.THREATENED]
    assert all(e.sub_type is not SubType.EXCESSIVE_FORCE_AGAINST_PROTESTERS for e in x.events)
    figures = [c for e in x.events for c in e.casualties]
    assert all(c.group is not CasualtyGroup.PROTESTERS for c in figures)


def test_seed_001_threat_and_statements(
    seeds: dict[str, tuple[Article, ArticleExtraction]],
) -> None:
    _, x = seeds["001"]
    threat = x.events[-1]
    assert [p.canonical for p in threat.perpetrators] == ["IRGC"]
    assert [(a.kind, a.by) for a in threat.attribution] == [(AttributionKind.CLAIMED, "IRGC")]
    assert threat.date.phrase is None
    uk = [s for s in x.statements if s.organisation == "United Kingdom"]
    assert [(s.kind, s.text_type) for s in uk] == [
        (StatementKind.CONDEMNATION, TextType.PARAPHRASE),
        (StatementKind.DEMAND, TextType.QUOTE),
    ]
    assert uk[0].text == "condemned the Iranian attacks on the Kurdistan Region of Iraq"
    assert uk[0].targets == ["Iran"]
    assert (uk[1].speaker, uk[1].role) == (
        "Tariq Ahmad",
        "Minister of State for the Middle East, South Asia, UN",
    )
    assert uk[1].text.startswith("Iran must cease its indiscriminate bombardment")
    unami = [s for s in x.statements if s.organisation == "UNAMI"]
    assert [(s.kind, s.text_type) for s in unami] == [
        (StatementKind.CONDEMNATION, TextType.QUOTE),  # the quoted clause of a paraphrase
        (StatementKind.DEMAND, TextType.QUOTE),  # "It continued:"
    ]
    assert unami[0].text == "neighbours routinely, and with impunity, violate its sovereignty."
    sullivan = [s for s in x.statements if s.speaker == "Jake Sullivan"]
    assert [s.text_type for s in sullivan] == [TextType.PARAPHRASE, TextType.QUOTE]
    assert all(s.kind is StatementKind.CONDEMNATION for s in sullivan)  # "He continued:"
    azizi = [s for s in x.statements if s.speaker == "Khalid Azizi"]
    assert [(s.kind, s.role, s.organisation, s.about_events) for s in azizi] == [
        (StatementKind.REPORT, "spokesman", "PDKI", ["E1"])
    ]
    assert not [
        s for s in x.statements if s.text.startswith("said that a 59-year-old")
    ]  # anonymous


def test_seed_000_targets_and_casualties(
    seeds: dict[str, tuple[Article, ArticleExtraction]],
) -> None:
    _, x = seeds["000"]
    reported = _reported(x)
    assert [[t.canonical for t in e.targets] for e in reported] == [["PDKI"], ["Komala"]]
    assert len({e.operation_id for e in reported}) == 1 and reported[0].operation_id is not None
    assert [e.sub_type for e in reported] == [
        SubType.AIR_DRONE_STRIKE,
        SubType.SHELLING_ARTILLERY_MISSILE_ATTACK,  # "Missiles were also launched at ..."
    ]
    lead = reported[0]
    assert [(p.canonical, p.name) for p in lead.perpetrators] == [
        ("IRGC", "Islamic Revolutionary Guards Corps")
    ]
    assert lead.perpetrators[0].category is ActorCategory.EXTERNAL_FORCES
    killed = _figures(lead, CasualtyKind.KILLED)
    assert [(c.low, c.best, c.high, c.qualifier, c.reported_by) for c in killed] == [
        (2, 2, None, Qualifier.AT_LEAST, "officials"),
        (2, 2, 2, Qualifier.EXACT, "PDKI"),  # "two people were “martyred”"
    ]
    injured = _figures(lead, CasualtyKind.INJURED)
    assert [(c.qualifier, c.low, c.best, c.reported_by) for c in injured] == [
        (Qualifier.SEVERAL, 2, 3, "officials"),
        (Qualifier.SEVERAL, 2, 3, "PDKI"),
    ]
    assert (lead.location.place, lead.location.admin1, lead.location.country) == (
        None,
        "Erbil",
        "Iraq",
    )
    komala = reported[1].location
    assert (komala.place, komala.admin1, komala.country, komala.precision) == (
        None,
        None,
        "Iraq",
        GeoPrecision.REGION,
    )
    assert (lead.date.phrase, lead.date.value) == ("on Monday", None)
    assert [(a.kind, a.by) for a in lead.attribution] == [(AttributionKind.CLAIMED, "IRGC")]
    assert any("'on Monday' left unresolved" in w for w in x.warnings)


def test_seed_000_earlier_attack_is_recalled(
    seeds: dict[str, tuple[Article, ArticleExtraction]],
) -> None:
    _, x = seeds["000"]
    recalled = [e for e in x.events if e.standing is Standing.RECALLED]
    assert len(recalled) == 1  # "on Sept. 24"; the days-long campaign and the protest toll are not
    e = recalled[0]
    assert (e.date.phrase, e.date.value, e.date.precision) == (
        "on Sept. 24",
        None,
        DatePrecision.UNRESOLVED,
    )
    assert e.sub_type is SubType.AIR_DRONE_STRIKE  # no weapon named: an earlier round
    assert [p.canonical for p in e.perpetrators] == ["Iran"]
    assert e.casualties == []


def test_seed_000_ned_price_statement(seeds: dict[str, tuple[Article, ArticleExtraction]]) -> None:
    article, x = seeds["000"]
    s = _statement(x, "Ned Price")
    assert (s.role, s.organisation, s.channel) == (
        "spokesman",
        "US State Department",
        Channel.STATEMENT,
    )
    assert s.kind is StatementKind.DEMAND
    assert s.text_type is TextType.QUOTE
    assert s.text.startswith("We call on Iran, which has repeatedly and brazenly violated")
    assert s.text.endswith("territorial integrity")  # the trailing comma is dropped
    assert s.evidence is not None and s.evidence.start is not None and s.evidence.end is not None
    assert article.text[s.evidence.start : s.evidence.end] == s.text
    assert s.targets == ["Iran"]
    assert set(s.about_events) == {e.id for e in _reported(x)}


def test_seed_000_pdki_statement_segments(
    seeds: dict[str, tuple[Article, ArticleExtraction]],
) -> None:
    _, x = seeds["000"]
    quotes = [s for s in x.statements if s.organisation == "PDKI" and s.text_type is TextType.QUOTE]
    assert [s.text.split()[0] for s in quotes] == ["We,", "The", "But", "The", "The"]
    assert [s.kind for s in quotes] == [
        StatementKind.CONDEMNATION,  # "reprehensible actions"
        StatementKind.CONDEMNATION,  # "brutal violence"
        StatementKind.OTHER,  # the same statement goes on: one statement per segment
        StatementKind.OTHER,  # ... into the next paragraph
        StatementKind.CONDEMNATION,  # "cowardly attacks", "it said"
    ]
    dated = [(s.date.phrase, s.date.value) for s in quotes if s.date is not None]
    assert dated == [("Thursday", None)] * 3
    tweet = [s for s in x.statements if s.channel is Channel.TWEET]
    assert [s.organisation for s in tweet] == ["UNAMI", "UNAMI"]
    claim = [s for s in x.statements if s.kind is StatementKind.CLAIM_OF_RESPONSIBILITY]
    assert [(s.speaker, s.role, s.organisation, s.channel) for s in claim] == [
        ("Mohammad Pakpour", "Brig. Gen.", "IRGC", Channel.MEDIA_REPORT)
    ]
    assert claim[0].text.startswith("The IRGC said it launched the attacks in response to")
    komala = [s for s in x.statements if s.text.startswith("Missiles were also launched")]
    assert [(s.kind, s.about_events) for s in komala] == [(StatementKind.REPORT, ["E2"])]


def test_seed_004_assassination_attempt(
    seeds: dict[str, tuple[Article, ArticleExtraction]],
) -> None:
    _, x = seeds["004"]
    lead = _reported(x)[0]
    assert (lead.outcome, lead.sub_type) == (Outcome.ATTEMPTED, SubType.AIR_DRONE_STRIKE)
    injured = _figures(lead, CasualtyKind.INJURED)
    assert [(c.best, c.group, c.qualifier, c.reported_by) for c in injured] == [
        (7, CasualtyGroup.SECURITY_FORCES, Qualifier.EXACT, "Two Iraqi officials")
    ]
    assert [a.kind for a in lead.attribution] == [AttributionKind.UNATTRIBUTED]
    assert lead.attribution[0].evidence is not None
    assert "no one immediately claimed responsibility" in lead.attribution[0].evidence.quote
    assert lead.perpetrators == []
    assert [(t.canonical, t.category) for t in lead.targets] == [
        ("Mustafa al-Kadhimi", ActorCategory.GOVERNMENT)
    ]
    assert (lead.location.place, lead.location.admin1) == ("Green Zone", "Baghdad")
    assert (lead.date.phrase, lead.date.precision) == ("early on Sunday", DatePrecision.UNRESOLVED)
    drones = [w for w in lead.weapons if w.kind.value == "drone"]
    assert [w.count for w in drones] == [2]


def test_seed_004_friday_clash_and_statements(
    seeds: dict[str, tuple[Article, ArticleExtraction]],
) -> None:
    _, x = seeds["004"]
    friday = [e for e in x.events if e.standing is Standing.RECALLED]
    assert len(friday) == 1
    assert friday[0].date.phrase == "on Friday"
    assert [(c.kind, c.group, c.best) for c in friday[0].casualties] == [
        (CasualtyKind.KILLED, CasualtyGroup.PROTESTERS, 1),
        (CasualtyKind.INJURED, CasualtyGroup.SECURITY_FORCES, 12),
    ]
    analyst = _statement(x, "Ranj Alaaldin")
    assert (analyst.kind, analyst.channel, analyst.organisation) == (
        StatementKind.ANALYSIS,
        Channel.TWEET,
        "Brookings Institution",
    )
    pm = [s for s in x.statements if s.speaker == "Mustafa al-Kadhimi"]  # "Mr. al-Kadhimi said"
    assert [(s.channel, s.organisation, s.kind) for s in pm[:2]] == [
        (Channel.TWEET, "Iraq", StatementKind.CONDEMNATION),  # a prime minister speaks for Iraq
        (Channel.TWEET, "Iraq", StatementKind.REPORT),  # "I am well ..."
    ]
    khazali = _statement(x, "Qais al-Khazali")
    assert (khazali.organisation, khazali.role, khazali.kind, khazali.channel) == (
        "Asa'ib Ahl al-Haq",
        "militia leader",
        StatementKind.ACCUSATION,
        Channel.SPEECH,
    )
    drone = [s for s in x.statements if s.text.startswith("an explosive-laden drone")]
    assert [(s.text_type, s.organisation) for s in drone] == [(TextType.QUOTE, "Iraq")]


def test_seed_002_claimed_strikes_in_erbil_and_syria(
    seeds: dict[str, tuple[Article, ArticleExtraction]],
) -> None:
    _, x = seeds["002"]
    op = _reported(x)
    assert [e.location.country for e in op] == ["Iraq", "Syria"]
    assert len({e.operation_id for e in op}) == 1
    erbil = op[0]
    assert (erbil.location.place, erbil.location.admin1, erbil.location.precision) == (
        "Erbil",
        "Erbil",
        GeoPrecision.NEAR,
    )
    assert erbil.location.evidence is not None
    assert erbil.location.evidence.quote == "northeast of Erbil"
    assert [(t.canonical, t.category) for t in erbil.targets] == [
        ("Mossad", ActorCategory.EXTERNAL_FORCES)
    ]
    assert (erbil.date.phrase, erbil.date.value) == ("Late on Monday", None)
    for e in op:
        assert [w.kind.value for w in e.weapons] == ["ballistic_missile"]  # from the IRGC's words
        assert [p.canonical for p in e.perpetrators] == ["IRGC"]
        assert [(a.kind, a.by) for a in e.attribution] == [(AttributionKind.CLAIMED, "IRGC")]
    relayed = x.statements[0]
    assert (relayed.organisation, relayed.channel, relayed.kind) == (
        "IRGC",
        Channel.MEDIA_REPORT,  # official television relays the Guards' claim
        StatementKind.CLAIM_OF_RESPONSIBILITY,
    )
    threats = [
        s for s in x.statements if s.kind is StatementKind.THREAT and s.organisation == "IRGC"
    ]
    assert threats and threats[0].text.startswith("We assure our nation")
    assert threats[0].channel is Channel.STATEMENT  # "the statement read"
    recalled = [e for e in x.events if e.standing is Standing.RECALLED]
    blasts = [e for e in recalled if e.sub_type is SubType.REMOTE_EXPLOSIVE]
    assert [(a.kind, a.perpetrator) for a in blasts[0].attribution] == [
        (AttributionKind.CLAIMED, "Islamic State")
    ]
    assert [(c.best, c.qualifier) for c in _figures(blasts[0], CasualtyKind.KILLED)] == [
        (100, Qualifier.ABOUT)
    ]
    assert blasts[0].weapons == []  # "blasts": no device named
    claim = [s for s in x.statements if s.organisation == "Islamic State"]
    assert [(s.kind, s.about_events) for s in claim] == [
        (StatementKind.CLAIM_OF_RESPONSIBILITY, [blasts[0].id])
    ]
    airstrike = [e for e in recalled if e.sub_type is SubType.AIR_DRONE_STRIKE]
    assert [(p.canonical, p.name) for p in airstrike[0].perpetrators] == [("Israel", "Israeli")]
    assert [(c.best, c.group) for c in airstrike[0].casualties] == [
        (3, CasualtyGroup.SECURITY_FORCES)
    ]
    assert airstrike[0].location.country == "Syria"
    assert not [s for s in x.statements if s.text.startswith("protested")]  # a diplomatic act


def test_seed_003_summary_event_of_protest_killings(
    seeds: dict[str, tuple[Article, ArticleExtraction]],
) -> None:
    _, x = seeds["003"]
    assert len(x.events) == 1  # the attacks on the PMOI "during their stay" are a history
    lead = x.events[0]
    assert (lead.sub_type, lead.standing) == (
        SubType.EXCESSIVE_FORCE_AGAINST_PROTESTERS,
        Standing.REPORTED,
    )
    assert [(c.low, c.best, c.qualifier, c.reported_by) for c in lead.casualties] == [
        (181, 181, Qualifier.OVER, None)  # the headline, in the article's own voice
    ]
    assert [p.canonical for p in lead.perpetrators] == ["Asa'ib Ahl al-Haq", "Kata'ib Hezbollah"]
    assert [p.name for p in lead.perpetrators] == ["Asaib\u00a0al-Haq", "Kata’ib Hezbollah"]
    assert {w.kind.value for w in lead.weapons} == {"sniper", "firearm"}
    assert (lead.location.country, lead.location.precision) == ("Iraq", GeoPrecision.REGION)
    denial = [s for s in x.statements if s.kind is StatementKind.DENIAL]
    assert [(s.organisation, s.targets) for s in denial] == [
        ("Iraqi National Security Council", ["PMF"])
    ]
    spokesperson = [s for s in x.statements if s.organisation == "MEK"]
    assert [(s.speaker, s.role, s.text_type) for s in spokesperson] == [
        (None, "spokesperson", TextType.QUOTE)
    ]
