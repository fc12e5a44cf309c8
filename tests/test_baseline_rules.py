"""The baseline's building blocks: quantities, casualties, weapons, dates, sentences, mentions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extraction.baseline import extract_baseline
from extraction.baseline.events.casualties import find_casualties
from extraction.baseline.events.weapons import find_weapons
from extraction.baseline.mentions.locations import choose, locative_places, to_location
from extraction.baseline.mentions.mentions import find_mentions
from extraction.baseline.text.dates import find_dates, resolve
from extraction.baseline.text.lexicon import (
    BaselineDataError,
    SentencesData,
    WeaponsData,
    load_data,
)
from extraction.baseline.text.numbers import parse_quantity
from extraction.baseline.text.sentences import clauses, read_document
from schemas.article import Article
from schemas.evidence import grounding_context
from schemas.records import ArticleExtraction
from schemas.vocab import CasualtyGroup, CasualtyKind, DatePrecision, GeoPrecision, Qualifier


@pytest.mark.parametrize(
    ("hedge", "num", "qualifier", "low", "best", "high"),
    [
        ("at least", "13", Qualifier.AT_LEAST, 13, 13, None),
        ("more than", "180", Qualifier.OVER, 181, 181, None),
        ("nearly", "100", Qualifier.ABOUT, None, 100, None),
        ("as many as", "40", Qualifier.UP_TO, None, 40, 40),
        (None, "58", Qualifier.EXACT, 58, 58, 58),
        (None, "seven", Qualifier.EXACT, 7, 7, 7),
        (None, "several", Qualifier.SEVERAL, 2, 3, None),
        (None, "dozens", Qualifier.DOZENS, 12, 12, None),
        (None, "hundreds", Qualifier.HUNDREDS, 100, 100, None),
        (None, "a dozen", Qualifier.EXACT, 12, 12, 12),
        (None, "numerous", Qualifier.UNKNOWN, None, None, None),
    ],
)
def test_quantities(
    hedge: str | None,
    num: str,
    qualifier: Qualifier,
    low: int | None,
    best: int | None,
    high: int | None,
) -> None:
    q = parse_quantity(hedge, num)
    assert (q.qualifier, q.low, q.best, q.high) == (qualifier, low, best, high)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("killing at least two people and wounding several others",
         [("killed", "all", 2, "at_least"), ("injured", "all", 3, "several")]),
        ("Dozens of protesters have been killed and hundreds injured by police",
         [("killed", "protesters", 12, "dozens"), ("injured", "protesters", 100, "hundreds")]),
        ("seven of Mr. al-Kadhimi’s security guards were injured in the attack",
         [("injured", "security_forces", 7, "exact")]),
        ("a protester affiliated with the militias was killed",
         [("killed", "protesters", 1, "exact")]),
        ("The PDKI said two people were “martyred” and several were injured.",
         [("killed", "all", 2, "exact"), ("injured", "all", 3, "several")]),
        ("two blasts that left about 100 people dead and numerous others injured",
         [("killed", "all", 100, "about"), ("injured", "all", None, "unknown")]),
        ("Iran has carried out a deadly attack - killing a US citizen",
         [("killed", "foreign_nationals", 1, "exact")]),
        ("Over 180 Killed in Anti-Iran Regime Demos in Iraq", [("killed", "all", 181, "over")]),
        ("The death toll rose to 21 on Friday.", [("killed", "all", 21, "exact")]),
        ("Five soldiers and three civilians were killed.",
         [("killed", "all", 8, "exact"), ("killed", "civilians", 3, "exact")]),
        ("One officer, four soldiers, and at least three civilians were killed.",
         [("killed", "all", 8, "at_least"), ("killed", "civilians", 3, "at_least")]),
        ("Dozens of soldiers and three civilians were killed.",
         [("killed", "civilians", 3, "exact")]),
    ],
)  # fmt: skip
def test_casualty_figures(text: str, expected: list[tuple[str, str, int | None, str]]) -> None:
    got = [
        (f.kind.value, f.group.value, f.quantity.best, f.quantity.qualifier.value)
        for f in find_casualties(text)
    ]
    assert got == expected


@pytest.mark.parametrize(
    "text",
    [
        "about a week after Amini was killed in police custody on Sept. 16",
        "No one was injured in the attack.",
        "Videos show that most of those killed were unarmed.",
        "the death of 22-year-old Mahsa Amini",
        "73 out of 329 seats in parliament",
    ],
)
def test_no_casualty_figure_where_there_is_none(text: str) -> None:
    assert find_casualties(text) == []


def test_casualty_evidence_spans_are_offsets_into_the_text() -> None:
    text = "Officials said that at least 13 people were killed."
    (fig,) = find_casualties(text)
    assert text[fig.start : fig.end] == "at least 13 people were killed"
    assert (fig.kind, fig.group) == (CasualtyKind.KILLED, CasualtyGroup.ALL)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at least 73 missiles have now been fired", [("missile", 73, Qualifier.AT_LEAST)]),
        ("involved two armed drones", [("drone", 2, Qualifier.EXACT)]),
        (
            "The missile and drone strikes killed 13",
            [("missile", None, None), ("drone", None, None)],
        ),
        ("fired a number of ballistic missiles", [("ballistic_missile", None, None)]),
        ("killed 13 people with missiles", [("missile", None, None)]),
        ("an exchange of gunfire", [("firearm", None, None)]),
        (
            "dispatching snipers and firing tear gas",
            [("sniper", None, None), ("tear_gas", None, None)],
        ),
    ],
)
def test_weapons(text: str, expected: list[tuple[str, int | None, Qualifier | None]]) -> None:
    assert [(w.kind.value, w.count, w.qualifier) for w in find_weapons(text)] == expected


def test_date_phrases_and_resolution() -> None:
    text = (
        "Late on Monday and early on Sunday, on Sept. 24, in late September, last week, Thursday’s"
    )
    mentions = find_dates(text)
    assert [m.phrase for m in mentions] == [
        "Late on Monday", "early on Sunday", "on Sept. 24", "in late September", "last week",
        "Thursday’s",
    ]  # fmt: skip
    anchor = dt.date(2022, 11, 16)  # a Wednesday
    resolved = [resolve(m, anchor) for m in mentions]
    assert [(r.value, r.precision) for r in resolved] == [
        (dt.date(2022, 11, 14), DatePrecision.DAY),
        (dt.date(2022, 11, 13), DatePrecision.DAY),
        (dt.date(2022, 9, 24), DatePrecision.DAY),
        (dt.date(2022, 9, 1), DatePrecision.MONTH),
        (dt.date(2022, 11, 9), DatePrecision.WEEK),
        (dt.date(2022, 11, 10), DatePrecision.DAY),
    ]
    unanchored = [resolve(m, None) for m in mentions]
    assert all(r.value is None and r.precision is DatePrecision.UNRESOLVED for r in unanchored)
    assert [r.phrase for r in unanchored] == [m.phrase for m in mentions]


def test_sentences_keep_abbreviations_and_skip_page_clutter() -> None:
    text = (
        "24.7 C\nPort Louis\nSaturday, November 23, 2024\n\nspot_img\n\n"
        "U.S. State Department spokesman Ned Price spoke on Sept. 24 to IRGC Brig. Gen. Mohammad "
        "Pakpour. A second sentence follows.\n\nAdvertisement\n\nLEAVE A REPLY"
    )
    doc = read_document(text)
    assert [s.text for s in doc.sentences] == [
        "U.S. State Department spokesman Ned Price spoke on Sept. 24 to IRGC Brig. Gen. Mohammad "
        "Pakpour.",
        "A second sentence follows.",
    ]
    x = extract_baseline(Article(id="clutter", text=text))
    assert x.events == [] and x.warnings == []


def test_quotes_are_blanked_for_the_event_rules() -> None:
    doc = read_document("Iran denied it. “We will strike the base with missiles,” he said.")
    second = doc.sentences[1]
    assert "missiles" not in second.plain and second.plain.strip() == "he said."
    assert len(second.plain) == len(second.text)
    assert [doc.text[s:e] for s, e in clauses(doc.sentences[0])] == ["Iran denied it."]


def test_mentions_resolve_state_or_place_by_context() -> None:
    doc = read_document(
        "Iraq protested after drones hit targets in Iraq and called on Iran to stop."
    )
    m = find_mentions(doc)
    assert [(a.text, a.entry.canonical) for a in m.actors] == [("Iraq", "Iraq"), ("Iran", "Iran")]
    assert [a.start for a in m.actors] == [0, doc.text.rindex("Iran")]
    assert [(p.text, p.entry.canonical) for p in m.places] == [("Iraq", "Iraq")]


def test_lowercase_generic_words_do_not_match_capitalised_aliases() -> None:
    doc = read_document("The security guards and border guards fled; the Guards fired at Koya.")
    names = [(a.text, a.entry.canonical) for a in find_mentions(doc).actors]
    assert names == [("security guards", "Security forces"), ("Guards", "IRGC")]


def test_location_prefers_the_specific_place_and_names_only_given_levels() -> None:
    doc = read_document("Rockets landed near Harir in Erbil province and northeast of Mosul.")
    refs = locative_places(doc.text, find_mentions(doc).places)
    loc = to_location(doc.text, choose(refs), refs)
    assert (loc.place, loc.admin2, loc.admin1, loc.precision) == (
        "Harir",
        None,  # the district (Shaqlawa) is not named in the article
        "Erbil",
        GeoPrecision.NEAR,
    )
    assert loc.evidence is not None and loc.evidence.quote == "near Harir in Erbil province"
    region = read_document("Drones struck targets in Iraq's Kurdistan Region.")
    refs = locative_places(region.text, find_mentions(region).places)
    loc = to_location(region.text, choose(refs), refs)
    assert (loc.place, loc.admin1, loc.country, loc.precision) == (
        None,  # a region above governorate level fills no field but the country
        None,
        "Iraq",
        GeoPrecision.REGION,
    )


def test_bad_phrase_list_names_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "sentences.json").write_text(
        '{"abbreviations": [], "clause_boundaries": ["(unclosed"]}', encoding="utf-8"
    )
    with pytest.raises(
        BaselineDataError, match=r"sentences.json: field 'clause_boundaries'.*unclosed"
    ):
        load_data("sentences.json", SentencesData, folder=tmp_path)
    (tmp_path / "weapons.json").write_text('{"kinds": [{"kind": "laser"', encoding="utf-8")
    with pytest.raises(BaselineDataError, match=r"weapons.json:1: not valid JSON"):
        load_data("weapons.json", WeaponsData, folder=tmp_path)
    with pytest.raises(BaselineDataError, match=r"missing.json: cannot be read"):
        load_data("missing.json", WeaponsData, folder=tmp_path)


_WORDS = [
    "Iran", "launched", "missiles", "at", "the", "PDKI", "in", "Koya", "on", "Monday", ",",
    "killing", "at least", "two", "people", "said", "officials", ".", "“", "”", '"', "drone",
    "strike", "Erbil", "Baghdad", "the Guards", "claimed", "no one", "responsibility", "shot down",
    "protesters", "were", "killed", "by", "police", "Sept. 24", "last month", "US", "condemned",
    "\n\n", "\r\n", "–", "KDP-I", "dozens", "wounded", "Kata'ib Hezbollah", "blamed", "for",
]  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=60))
def test_any_text_gives_valid_exactly_grounded_records(words: list[str]) -> None:
    text = " ".join(words)
    if not text.strip():
        return
    article = Article(id="fuzz", text=text, publication_date=dt.date(2022, 11, 16))
    x = extract_baseline(article)
    again = ArticleExtraction.model_validate(x.model_dump(), context=grounding_context(text))
    assert again.events == x.events
    for e in x.events:
        ev = e.evidence
        assert ev is not None and ev.start is not None and ev.end is not None
        assert text[ev.start : ev.end] == ev.quote
        for c in e.casualties:
            assert c.evidence is not None and c.evidence.quote in text


# Synthetic text (not an eval article): speakers named by surname or by role after a full mention.
_KADHIMI_LEAD = (
    "BAGHDAD — Two armed drones targeted the residence of Iraqi Prime Minister Mustafa "
    "al-Kadhimi early on Sunday, officials said.\n\n"
)


@pytest.mark.parametrize(
    "attribution",
    ["al-Kadhimi said on Twitter.", "the prime minister said on Twitter."],
)
def test_speaker_by_surname_or_role_resolves_to_the_earlier_full_name(attribution: str) -> None:
    text = _KADHIMI_LEAD + "“The rockets of treason will not undermine us,” " + attribution
    result = extract_baseline(Article(id="synthetic-speaker", text=text))
    (statement,) = result.statements
    assert statement.speaker == "Mustafa al-Kadhimi"
    assert statement.channel.value == "tweet"
    assert statement.text_type.value == "quote"
    assert statement.evidence is not None
    assert statement.evidence.quote == "The rockets of treason will not undermine us"


# Synthetic sentences (not eval articles): one general statement-kind cue each.
_ATTACK_LEAD = (
    "BAGHDAD — A roadside bomb killed two soldiers near Tikrit on Monday, police said.\n\n"
)


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("“We will not hesitate to defend our forces,” army spokesman Ali Hassan said.", "threat"),
        (
            "“The killers will be hunted down wherever they hide,” army spokesman Ali Hassan said.",
            "threat",
        ),
        ("Militia commander Ali Hassan said the group would now strike the airport.", "threat"),
        ("The Peshmerga mourned the dead in a statement and pledged to avenge them.", "threat"),
        (
            "“This bombing is a crime against innocent people,” army spokesman Ali Hassan said.",
            "condemnation",
        ),
        (
            "“Baghdad must agree to a joint inquiry into the attack,” army spokesman Ali Hassan "
            "said.",
            "demand",
        ),
        (
            "“Six suspects have been arrested and the area is under full control,” army spokesman "
            "Ali Hassan said.",
            "report",
        ),
        (
            "“I saw smoke rising over the market and people running,” said witness Ali Hassan.",
            "report",
        ),
        (
            "“Our soldiers pay with their blood for the failures of the government,” army "
            "spokesman Ali Hassan said.",
            "accusation",
        ),
    ],
)
def test_statement_kind_cues(sentence: str, kind: str) -> None:
    result = extract_baseline(Article(id="synthetic-kind", text=_ATTACK_LEAD + sentence))
    lead_end = len(_ATTACK_LEAD)
    kinds = [s.kind.value for s in result.statements if s.evidence and s.evidence.start >= lead_end]
    assert kinds == [kind]


def test_behind_the_attack_is_an_accusation_by_the_named_body() -> None:
    # Synthetic: "X told ... that Y were behind the bombing" -> Y accused by X's leading name.
    text = (
        _ATTACK_LEAD + "Interior Ministry spokesman Ali Hassan told state television that "
        "“Daesh terrorist cells” were behind the bombing."
    )
    result = extract_baseline(Article(id="synthetic-behind", text=text))
    (event,) = result.events
    accused = [(a.perpetrator, a.by) for a in event.attribution if a.kind.value == "accused"]
    assert accused == [("Islamic State", "Interior Ministry")]
    assert [s.kind.value for s in result.statements] == ["accusation"]


def test_accused_named_inside_quotation_marks() -> None:
    # Synthetic: the accused may be quoted ('blamed "the Daesh gangs"').
    text = _ATTACK_LEAD + 'The ministry blamed "the terrorist Daesh gangs" for the attack.'
    (event,) = extract_baseline(Article(id="synthetic-quoted", text=text)).events
    assert [(a.kind.value, a.perpetrator) for a in event.attribution] == [
        ("accused", "Islamic State")
    ]


def test_positions_held_by_an_actor_make_it_a_target_not_a_perpetrator() -> None:
    # Synthetic: "held by" the army and a militia joined by "and" -> one site, both targets.
    text = (
        "Islamic State militants attacked positions held by the Iraqi army and the Hashd "
        "al-Shaabi in Diyala province on Monday, killing five soldiers, officials said."
    )
    (event,) = extract_baseline(Article(id="synthetic-held", text=text)).events
    assert [p.canonical for p in event.perpetrators] == ["Islamic State"]
    assert {t.canonical for t in event.targets} == {"Iraqi Army", "PMF"}


def test_some_munitions_getting_through_is_no_interception() -> None:
    # Synthetic: two rockets intercepted but a third landed -> a completed shelling attack.
    text = (
        "Three rockets were fired at Erbil airport on Sunday, officials said. Air defences "
        "intercepted two of the rockets, while a third landed in an empty lot."
    )
    (event,) = extract_baseline(Article(id="synthetic-partial", text=text)).events
    assert event.outcome.value == "completed"
    assert event.sub_type.value == "shelling_artillery_missile_attack"


def test_habitual_violence_is_no_event_and_suicide_bomber_no_aircraft() -> None:
    # Synthetic: "have since been abducted" is a pattern, not an event; "suicide bomber" is no
    # aircraft.
    text = (
        "A suicide bomber blew himself up in a market in Baghdad on Monday, killing 12 people, "
        "police said. Dozens of activists have since been abducted, rights groups say."
    )
    (event,) = extract_baseline(Article(id="synthetic-pattern", text=text)).events
    assert event.sub_type.value == "suicide_bomb"
    assert all(w.kind.value != "aircraft" for w in event.weapons)
    assert find_weapons("A suicide bomber blew himself up") == []


def test_a_trailing_source_ends_a_long_sentence_of_many_commas() -> None:
    """Synthetic: a list sentence with hundreds of commas still yields its trailing source, and
    a comma phrase before a speech verb mid-sentence is not taken for a trailing one."""
    from extraction.baseline.statements.sources import find_source, source_spans

    items = ", ".join(f"a talk in town {i}" for i in range(400))
    text = f"The list includes {items}, campaign officials said."
    src = find_source(text)
    assert src is not None and src.position == "trailing"
    assert text[src.start : src.end] == "campaign officials"
    assert source_spans(text) == [(src.start, src.end)]
    assert source_spans(f"The list, officials said, includes {items} and more.") == []


@pytest.mark.parametrize(
    "text",
    [
        "On 11 February, one adult and four minors were killed.",  # a date is no count
        "Invented Person, 21, a member of the patrols, was shot and killed in an attack.",  # age
    ],
)  # synthetic sentences
def test_numbers_that_are_not_counts(text: str) -> None:
    from extraction.baseline.events.casualty_clauses import find_clause_casualties

    counts = [f.quantity.best for f in find_casualties(text) + find_clause_casualties(text)]
    assert 16 not in counts and 21 not in counts
    assert counts, "the victims themselves are still counted"
