"""Attack clauses, casualty figures and statements found by their structure, and the false
positives the baseline must not produce. Every sentence here is SYNTHETIC (invented)."""

from __future__ import annotations

from extraction.baseline import extract_baseline
from extraction.baseline.text.sentences import read_document
from schemas.article import Article
from schemas.records import ArticleExtraction
from schemas.vocab import CasualtyKind, Standing, StatementKind


def _x(text: str) -> ArticleExtraction:
    return extract_baseline(Article(id="synthetic", text=text, publication_date="2024-01-10"))


def _killed(x: ArticleExtraction) -> list[tuple[int | None, int | None]]:
    return [
        (c.low, c.best) for e in x.events for c in e.casualties if c.kind is CasualtyKind.KILLED
    ]


def test_a_number_bound_to_its_verb_across_the_clause() -> None:
    x = _x(
        "Drones struck a base in Koya on Monday. Two Peshmerga fighters from the KDPI "
        "identified as Ali Karim and Omar Aziz were killed in the strike."
    )
    assert (2, 2) in _killed(x)


def test_numbers_in_words_and_a_singular_victim() -> None:
    x = _x("Gunmen ambushed a convoy near Kandahar on Monday and killed a driver.")
    assert x.events and (1, 1) in _killed(x)


def test_a_named_victim_and_several_members_of_his_family() -> None:
    x = _x(
        "A bomb attack in Mosul on Monday caused the death of businessman Sami Aziz and "
        "several members of his family."
    )
    assert (3, 4) in _killed(x)


def test_murder_is_an_attack() -> None:
    x = _x("The mayor of an invented town was murdered by gunmen in Mosul on Monday.")
    assert x.events and (1, 1) in _killed(x)


def test_a_hypothetical_attack_is_no_reported_event() -> None:
    x = _x(
        "The ministry said it would respond firmly in the event of any future attacks "
        "from Israel, and warned that bases might be targeted."
    )
    assert all(e.standing is not Standing.REPORTED for e in x.events)


def test_an_adjective_compound_is_no_place() -> None:
    x = _x("The US-led coalition said drones struck a depot on Monday, killing two.")
    assert all(e.location.country != "United States" for e in x.events)


def test_asked_and_released_a_statement_are_speech() -> None:
    x = _x(
        "Drones struck the PDKI in Koya on Monday. “We will not be silenced by these "
        "cowardly attacks on our people,” the PDKI said in a statement."
    )
    assert any(s.organisation == "PDKI" for s in x.statements)


def test_condemnation_written_as_a_noun() -> None:
    x = _x(
        "Drones struck the PDKI in Koya on Monday. Kurdish officials expressed their "
        "condemnations of the attack."
    )
    assert any(s.kind is StatementKind.CONDEMNATION for s in x.statements)


def _speakers(text: str) -> list[tuple[str | None, str | None, str | None]]:
    return [(s.speaker, s.role, s.organisation) for s in _x(text).statements]


def test_a_lone_name_before_the_speech_verb_is_the_speaker() -> None:
    assert _speakers("“The money is a floor, not a ceiling at all,” Henry adds.") == [
        ("Henry", None, None)
    ]


def test_he_stands_for_the_last_person_named() -> None:
    text = (
        "Invented mayor Daniel Okoro spoke on Tuesday. “We deserve credit for running a "
        "good campaign,” he said."
    )
    assert _speakers(text) == [("Daniel Okoro", None, None)]


def test_a_spokesperson_named_by_role() -> None:
    text = '"This is a matter for the bank, not for the government," a spokeswoman said.'
    assert _speakers(text) == [(None, "spokeswoman", None)]


def test_a_short_quote_with_its_speaker_right_after_it() -> None:
    text = "Invented analyst Mr. Greenfield runs a fund. “Empire building,” Mr. Greenfield said."
    assert [s for s, _, _ in _speakers(text)] == ["Greenfield"]


def test_names_with_mc_are_whole() -> None:
    text = "“We will keep fighting for this bill,” said Senator Claire McInvented on Monday."
    assert _speakers(text) == [("Claire McInvented", "Senator", None)]


def test_the_murder_of_a_number_and_of_named_victims() -> None:
    assert (6, 6) in _killed(_x("Gunmen carried out the murder of six invented clerics in Mosul."))
    x = _x("The assassination of Invented Person and Made Up in Mosul shocked the town.")
    assert (2, 2) in _killed(x)
    # no number, a plural noun for people: at least two (as MUC-4 counts a PLURAL victim)
    assert _killed(_x("The murder of the priests in Mosul shocked the nation.")) == [(2, 2)]
    assert _killed(_x("The murder of the century in Mosul shocked the nation.")) == []
    # the people listed after the number count too (synthetic sentence)
    x = _x("Gunmen carried out the murder of six invented clerics, their cook and her son in Ur.")
    assert (8, 8) in _killed(x)


def test_victims_with_no_number_before_their_verb() -> None:
    # synthetic sentences
    assert (2, 2) in _killed(_x("In the attack on a convoy in Mosul his bodyguards were killed."))
    x = _x("A bomb exploded in Mosul. Inspector Invented Person died in the blast.")
    assert (1, 1) in _killed(x)
    assert _killed(_x("A bomb exploded in Mosul. Nobody died in the blast.")) == []


def test_a_singular_passive_victim_beside_an_attack_word() -> None:
    x = _x("The mayor, who was kidnapped by gunmen near Mosul on Monday, was found dead.")
    assert (1, 1) in _killed(x)
    assert (
        _killed(_x("Gunmen attacked a checkpoint near Mosul on Monday; nobody was killed.")) == []
    )


def test_bodies_are_killed_and_capital_abbreviations_do_not_cut_sentences() -> None:
    x = _x("GUNMEN ATTACKED THE INVENTED VILLAGE NEAR MOSUL. RESCUERS RECOVERED 12 BODIES THERE.")
    assert (12, 12) in _killed(x)
    text = "IN THE ATTACK NEAR MOSUL THE DRIVER WAS KILLED AND MR. INVENTED WAS HURT."
    assert len(read_document(text).sentences) == 1
    assert (1, 1) in _killed(_x(text))


def test_perpetrators_named_by_no_organisation() -> None:
    x = _x("Urban guerrillas attacked a police station in Mosul on Monday, killing two officers.")
    perps = [(p.name, p.category.value) for e in x.events for p in e.perpetrators]
    assert perps == [("Urban guerrillas", "rebel_group")]
    x = _x("Gunmen ambushed a convoy near Kandahar on Monday, killing three soldiers.")
    assert [p.name.lower() for e in x.events for p in e.perpetrators] == ["gunmen"]


def test_no_perpetrator_where_no_group_claimed_it() -> None:
    x = _x(
        "Drones struck a base in Koya on Monday, killing two people. No group immediately "
        "claimed responsibility for the attack."
    )
    assert [p.name for e in x.events for p in e.perpetrators] == []


def test_a_news_agency_speaks_for_itself_not_for_the_group_it_is_close_to() -> None:
    x = _x(
        "Drones struck the PDKI in Koya on Monday. The semi-official Tasnim news agency, which "
        "is close to the IRGC, said the strikes targeted terrorist headquarters."
    )
    assert [s.organisation for s in x.statements] == ["Tasnim News Agency"]


def test_murdered_with_its_number_and_killed_by_an_agent() -> None:
    x = _x("Invented rebels murdered four members of a family near Mosul on Monday.")
    assert (4, 4) in _killed(x)
    x = _x("The five villagers were killed by members of an invented front near Mosul on Monday.")
    assert x.events and (5, 5) in _killed(x)


def test_killed_with_named_victims() -> None:
    x = _x(
        "Gunmen attacked a checkpoint near Mosul on Monday and killed Invented Person and Made Up."
    )
    assert (2, 2) in _killed(x)
    assert _killed(_x("Troops attacked the village near Mosul on Monday and killed them.")) == []


def test_a_killing_written_as_its_manner_founds_an_event() -> None:
    # synthetic sentences, written in capitals like wire copy of the time
    x = _x("INVENTO PERSONA, A 29-YEAR-OLD TEACHER, WAS SHOT TO DEATH TODAY IN MOSUL.")
    assert _killed(x) == [(1, 1)]
    x = _x("A journalist was killed in Mosul on Monday while covering a skirmish.")
    assert (1, 1) in _killed(x)


def test_a_wire_dateline_with_a_numbered_date_and_an_agency() -> None:
    from extraction.baseline.text.sentences import read_document

    text = (
        "MOSUL, 4 JUL 89 (INVENTED-AGENCY) -- [TEXT] A BOMB EXPLODED IN A MARKET, KILLING "
        "TWO PEOPLE, THE POLICE SAID. THE BLAST DAMAGED SEVERAL SHOPS NEAR THE SQUARE, AND "
        "FIREFIGHTERS WORKED THROUGH THE NIGHT."
    )
    doc = read_document(text)
    assert doc.dateline is not None
    assert text[doc.dateline[0] : doc.dateline[1]] == "MOSUL"


def test_a_possessive_killing_counts_its_victims() -> None:
    # synthetic sentences
    x = _x("Gunmen attacked Mosul. The six invented clerics' murder shocked the town.")
    assert (6, 6) in _killed(x)
    x = _x("Gunmen attacked Mosul. Colonel Inventado's assassination shocked the town.")
    assert (1, 1) in _killed(x)
    x = _x("Gunmen attacked Mosul. The country's killing fields were far away.")
    assert _killed(x) == []


def test_the_city_of_a_place_and_a_far_landmark() -> None:
    # synthetic sentences
    x = _x("FOUR BOMBS EXPLODED IN THE CITY OF KANDAHAR ON MONDAY, KILLING ONE MAN.")
    assert [e.location.country for e in x.events] == ["Afghanistan"]
    assert x.events[0].location.evidence.quote == "KANDAHAR"
    x = _x("A bomb exploded in a market 500 km north of Kabul on Monday, killing one man.")
    assert all(e.location.place != "Kabul" for e in x.events)


def test_a_dateline_country_in_brackets_frames_bare_province_names() -> None:
    # synthetic wire copy; "Invented-town" is in no gazetteer
    text = (
        "INVENTOTOWN (COLOMBIA), 21 FEB 90 (RADIO) -- [TEXT] REBELS MURDERED TWO PEASANTS IN "
        "ANTIOQUIA TODAY. THE ARMY SAID THE REBELS FLED. THE POLICE SAID THEY WOULD LOOK FOR "
        "THEM. THE VILLAGERS BURIED THE DEAD ON THE SAME DAY."
    )
    x = _x(text)
    assert [(e.location.admin1, e.location.country) for e in x.events] == [
        ("Antioquia", "Colombia")
    ]


def test_a_bare_province_of_the_article_country_beats_a_foreign_city() -> None:
    from gazetteer.world import world_place

    place = world_place("CORDOBA", country="Colombia", uncased=True)
    assert place is not None and (place.country, place.kind.value) == ("Colombia", "province")
    place = world_place("CORDOBA", uncased=True)
    assert place is not None and place.country == "Argentina"


def test_armed_men_who_killed_someone_carried_out_an_attack() -> None:
    # synthetic sentence: no attack word but the killing by armed men
    x = _x("Gunmen killed Invented Person, a local councillor, in Mosul on Monday.")
    assert [e.sub_type.value for e in x.events] == ["attack"]
    assert _killed(x) == [(1, 1)]


def test_two_victims_joined_by_and_before_a_passive_verb() -> None:
    # synthetic sentences
    x = _x(
        "Party member Invento Uno, a candidate for mayor, and his brother-in-law Invento Dos "
        "were shot to death in Mosul on Monday."
    )
    assert (2, 2) in _killed(x)
    x = _x("The inspector and his brothers were murdered in an attack in Mosul on Monday.")
    assert (3, 3) in _killed(x)


def test_a_victim_named_before_who_was_killed() -> None:
    # synthetic sentence; "a week after X was killed" stays no figure (test_baseline_rules)
    x = _x("Gunmen attacked the convoy of Invento Persona, who was killed, in Mosul on Monday.")
    assert (1, 1) in _killed(x)


def test_killed_the_victim_and_the_people_listed_after_it() -> None:
    # synthetic sentence
    x = _x("Rebels have killed the mayor of the town of Mosul, as well as two farmers, on Monday.")
    assert (3, 3) in _killed(x)


def test_a_day_after_the_act_of_killing_is_no_count() -> None:
    # synthetic sentences
    x = _x("Gunmen attacked Mosul. Mourners recalled the massacre of 3 April in the town.")
    assert (3, 3) not in _killed(x)
    x = _x("Gunmen attacked Mosul. Mourners recalled the massacre of 14 villagers in the town.")
    assert (14, 14) in _killed(x)


def test_a_plural_possessive_killing_counts_at_least_two() -> None:
    # synthetic sentence
    x = _x("Gunmen attacked Mosul. The invented clerics' murders shocked the town.")
    assert (2, 2) in _killed(x)
    assert (1, 1) not in _killed(x)


def test_the_murders_of_a_list_of_named_victims() -> None:
    # synthetic sentence
    x = _x(
        "Gunmen attacked Mosul. Police linked them to the murders of Ana Inventa, "
        "Colonel Bo Madeup, and of Senator Cy Fictio."
    )
    assert (3, 3) in _killed(x)


def test_victims_killed_also_or_other_add_to_the_first() -> None:
    # synthetic sentences
    x = _x(
        "Minister Ana Inventa was assassinated in Mosul on Monday in an ambush in which three "
        "of her guards were also killed."
    )
    assert {(1, 1), (3, 3), (4, 4)} <= set(_killed(x))
    x = _x(
        "A bomb exploded in Mosul. Trader Bo Madeup died in the blast, which left 5 other "
        "people dead."
    )
    assert (6, 6) in _killed(x)
    x = _x("A bomb exploded in Mosul. Three soldiers were killed and two were wounded.")
    assert (5, 5) not in _killed(x)


def test_not_a_single_victim_is_no_count() -> None:
    # synthetic sentences
    x = _x("Gunmen attacked a base in Mosul. Not a single soldier was killed in the raid.")
    assert _killed(x) == []
    x = _x("Gunmen attacked a base in Mosul. A soldier was killed in the raid.")
    assert _killed(x) == [(1, 1)]


def test_an_earlier_killing_that_counts_its_dead_is_kept_as_recalled() -> None:
    # synthetic sentences: no day is named for the earlier killing, but its dead are counted
    x = _x(
        "Drones struck a base in Koya on Monday. Police said the strike is unrelated to the "
        "murder of six invented clerics in Mosul last month."
    )
    recalled = [e for e in x.events if e.standing is Standing.RECALLED]
    assert [[c.best for c in e.casualties] for e in recalled] == [[6]]
    assert recalled[0].location.place == "Mosul"


def test_a_victim_also_killed_in_the_next_sentence_adds_to_the_first() -> None:
    # synthetic sentences
    x = _x(
        "Gunmen attacked a convoy in Mosul on Monday. Driver Ana Madeup was killed in the "
        "attack. A passenger was also killed."
    )
    assert len(x.events) == 1
    assert {(1, 1), (2, 2)} <= set(_killed(x))
    total = next(c for c in x.events[0].casualties if c.best == 2)
    assert total.evidence is not None and "also killed" in total.evidence.quote
    x = _x("Gunmen attacked a convoy in Mosul on Monday. Driver Ana Madeup was killed.")
    assert _killed(x) == [(1, 1)]


def test_figures_from_different_sources_are_not_added() -> None:
    # synthetic sentences
    x = _x(
        "Gunmen attacked an army post in Mosul on Monday, killing five soldiers, officials "
        "said. Three fighters of an invented militia were also killed, its commander said."
    )
    assert {(5, 5), (3, 3)} <= set(_killed(x))
    assert (8, 8) not in _killed(x)


def test_the_killing_of_another_named_person_is_another_event() -> None:
    # synthetic sentences
    x = _x(
        "Gunmen killed Mayor Ana Madeup in Mosul on Monday. Police said they were investigating "
        "the assassination of Judge Bo Fictio, whose body was found on a road."
    )
    assert [[t.name for t in e.targets] for e in x.events] == [["Ana Madeup"], ["Bo Fictio"]]
    x = _x(
        "Gunmen killed Mayor Ana Madeup in Mosul on Monday. Police said they were investigating "
        "the murder of Mayor Ana Madeup."
    )
    assert [[t.name for t in e.targets] for e in x.events] == [["Ana Madeup"]]


def test_titles_joined_by_and_name_one_victim() -> None:
    # synthetic sentence
    x = _x("GUNMEN IN MOSUL MURDERED MAYOR AND CANDIDATE ANA MADEUP ON MONDAY.")
    assert _killed(x) == [(1, 1)]


def test_an_age_after_a_name_is_no_count_and_a_day_before_bodies_is_none() -> None:
    # synthetic sentences
    x = _x("GUNMEN ATTACKED A CAR IN MOSUL. BO FICTIO, 52, AN INVENTED SHOPKEEPER, WAS MURDERED.")
    assert (52, 52) not in _killed(x)
    assert (1, 1) in _killed(x)
    x = _x("GUNMEN ATTACKED A VILLAGE NEAR MOSUL. ON 12 JUNE\n17 BODIES WERE FOUND THERE.")
    assert (17, 17) in _killed(x)
    assert (12, 12) not in _killed(x)


def test_a_time_is_no_count_and_two_titled_victims_count_two() -> None:
    # synthetic sentences
    x = _x("A BOMB EXPLODED IN MOSUL. AT 0940 GMT, THREE SHOPKEEPERS WERE KILLED BY THE BLAST.")
    assert (3, 3) in _killed(x)
    assert (940, 940) not in _killed(x)
    x = _x(
        "GUNMEN ATTACKED A CAR IN MOSUL. POLICE SAID THE JUDGE AND THE CAPTAIN HAD BEEN MURDERED."
    )
    assert (2, 2) in _killed(x)


def test_a_dated_or_placed_killing_without_an_attack_word_is_an_event() -> None:
    # synthetic sentences
    head = "SYNTHVILLE, 5 SEP 89 -- [TEXT] "
    x = _x(head + "SOMEONE TODAY KILLED ANA MADEUP, A TEACHER, IN HER SHOP.")
    assert _killed(x) == [(1, 1)]
    x = _x(head + "THREE BODIES WERE FOUND ON 4 MAY BESIDE A ROAD IN MOSUL.")
    assert _killed(x) == [(3, 3)]
    x = _x(head + "THE MINISTER SAID THAT OVER 7,000 PEOPLE HAVE DIED IN THE CONFLICT.")
    assert x.events == []


def test_dates_in_capitals_are_read_and_keep_two_killings_apart() -> None:
    # synthetic sentences (wire copy in capitals; _x gives a publication date in January 2024)
    from extraction.baseline.text.dates import find_dates

    found = [
        (d.kind, d.month, d.day, d.weekday)
        for d in find_dates("ON 3 APRIL GUNMEN STRUCK; LAST FRIDAY THEY MAY HAVE FLED; IN MARCH.")
    ]
    assert found == [("day", 4, 3, None), ("weekday", None, None, 4)]
    x = _x(
        "SYNTHVILLE, 20 NOV 89 -- [TEXT] GUNMEN KILLED SIX INVENTED CLERICS ON 16 NOVEMBER IN "
        "MOSUL. ON 19 NOVEMBER, GUNMEN KILLED TWO INVENTED JUDGES IN MOSUL."
    )
    assert sorted(e.date.value.isoformat() for e in x.events if e.date and e.date.value) == [
        "2023-11-16",
        "2023-11-19",
    ]


def test_a_named_victim_who_died_after_an_apposition() -> None:
    # synthetic sentences
    x = _x("Ana Madeup, a former invented mayor, died in hospital after gunmen attacked her car.")
    assert _killed(x) == [(1, 1)]
    x = _x("Gunmen attacked the car of Ana Madeup. She died of gunshot wounds on Monday.")
    assert (1, 1) in _killed(x)
    x = _x("Gunmen attacked the car of Ana Madeup, a former mayor, who survived.")
    assert _killed(x) == []


def test_plural_victims_who_were_killed_count_at_least_two() -> None:
    # synthetic sentence
    x = _x(
        "Gunmen attacked a church in Mosul on Monday. Mourners buried the priests who were "
        "killed in the attack."
    )
    assert _killed(x) == [(2, 2)]
    assert x.events[0].casualties[0].high is None
