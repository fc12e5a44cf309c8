"""Quotes and who said them: the attribution patterns of news English the baseline reads.
Every sentence and name here is SYNTHETIC (invented)."""

from __future__ import annotations

from extraction.baseline import extract_baseline
from extraction.baseline.sentences import read_document
from schemas.article import Article
from schemas.vocab import TextType


def _quotes(text: str) -> list[tuple[str | None, str]]:
    """(speaker, first three words) of each quote statement, in text order."""
    x = extract_baseline(Article(id="synthetic", text=text, publication_date="2024-01-10"))
    return [
        (s.speaker, " ".join(s.text.split()[:3]))
        for s in x.statements
        if s.text_type is TextType.QUOTE
    ]


def _speaker_of(text: str, words: str) -> str | None:
    found = [s for s, w in _quotes(text) if w == words]
    assert found, f"no quote starting {words!r} in {_quotes(text)}"
    return found[0]


def test_two_apostrophes_are_a_quotation_mark() -> None:
    doc = read_document("''We will build the bridge this year,'' Ms. Varga said.")
    assert [doc.text[q.content_start : q.content_end] for q in doc.quotes] == [
        "We will build the bridge this year,"
    ]
    text = "Lena Varga spoke. ''We will build the bridge this year,'' Ms. Varga said."
    assert _speaker_of(text, "We will build") == "Lena Varga"


def test_an_inverted_attribution_with_a_title_and_an_appositive() -> None:
    text = (
        '"None of this has anything to do with the mayor," said Rep. Jan Novak, '
        "a Democrat from Ostland and an ally of Mayor Petra Holm."
    )
    assert _speaker_of(text, "None of this") == "Jan Novak"


def test_the_name_that_heads_the_subject_speaks() -> None:
    text = (
        "Petra Holm leads the race. “I think this election will be fought to the finish,” "
        "Holm running mate Gov. Piet Kessler of Ostland told reporters."
    )
    assert _speaker_of(text, "I think this") == "Piet Kessler"


def test_a_possessive_name_does_not_speak() -> None:
    text = (
        "Petra Holm spoke on Monday. “The mayor will spend the month on the budget,” "
        "Holm’s spokeswoman, Anna Berg, said in a statement."
    )
    assert _speaker_of(text, "The mayor will") == "Anna Berg"


def test_names_keep_middle_initials_and_lose_a_title_word() -> None:
    text = (
        '"The labour market is drawing people back into work," Fed Chair Janet L. Varga said. '
        'Representative Ann Kessler said: "We will hold hearings on this next week."'
    )
    assert _speaker_of(text, "The labour market") == "Janet L. Varga"
    assert _speaker_of(text, "We will hold") == "Ann Kessler"


def test_he_or_she_is_the_last_person_named_as_a_subject() -> None:
    text = (
        "Anna Berg, the mayor of Dorvik, met Tomas Kettle on Monday.\n\n"
        '"We will rebuild every house in the district," she said.'
    )
    assert _speaker_of(text, "We will rebuild") == "Anna Berg"
    text = (
        "When Piet Kessler was asked whether he trusts Tomas Kettle, he said, "
        '"I mean, stop it with that kind of question."'
    )
    assert _speaker_of(text, "I mean, stop") == "Piet Kessler"


def test_mr_and_ms_decide_between_two_people() -> None:
    text = (
        "Ms. Lena Varga and Mr. Piet Kessler met the council. Mr. Kessler spoke first, "
        'and Ms. Varga answered him.\n\n"We need a new budget for the river park," he said.'
    )
    assert _speaker_of(text, "We need a") == "Piet Kessler"


def test_a_quote_opening_the_paragraph_after_its_attribution() -> None:
    text = (
        "The university released a statement on Friday. Media coordinator Dane Holm wrote:\n\n"
        "“The anthem is an opportunity to reflect on the freedoms we hold dear.”"
    )
    assert _speaker_of(text, "The anthem is") == "Dane Holm"


def test_a_round_up_of_comment_names_each_writer() -> None:
    text = (
        "Here is what commentators said on Thursday.\n\n"
        'Anna Berg, The Dorvik Herald: "This was the best debate of the whole campaign."'
    )
    assert _speaker_of(text, "This was the") == "Anna Berg"


def test_a_participle_gives_the_clause_subject() -> None:
    text = (
        "The campaign declined to comment on the document, with spokesman Jan Novak saying, "
        '"These leaks are nothing but a political stunt."'
    )
    assert _speaker_of(text, "These leaks are") == "Jan Novak"
    text = (
        "Senator Petra Holm, for whom Tomas Kettle once worked, privately complained about "
        'him, telling one aide: "It is all political noise."'
    )
    assert _speaker_of(text, "It is all") == "Petra Holm"


def test_a_sentence_opening_with_a_person_and_ending_in_a_colon() -> None:
    text = (
        "Tomas Kettle and Anna Berg traded blows. Kettle swiped at Berg in a series of posts: "
        '"Anna Berg, always fighting her own party!"'
    )
    assert _speaker_of(text, "Anna Berg, always") == "Tomas Kettle"
    text = 'Varga also forwarded Berg a memo with a request she often made: "Print it twice."'
    assert _speaker_of(text, "Print it twice.") == "Varga"


def test_a_verb_after_another_quote_gives_the_sentence_subject() -> None:
    text = (
        "Lena Varga, who wore a shirt bearing the words “Vote for the river park,” "
        "shouted, “In three days, we will make history!”"
    )
    assert _speaker_of(text, "In three days,") == "Lena Varga"


def test_short_quotes_beside_their_speaker() -> None:
    text = (
        'Jan Novak runs the finance office. "Thanks, Anna!" responded finance director '
        'Jan Novak.\n\nCommunications director Lena Varga replied: "Take the money!"'
    )
    assert _speaker_of(text, "Thanks, Anna!") == "Jan Novak"
    assert _speaker_of(text, "Take the money!") == "Lena Varga"
    scare = 'The council called the plan "bold" on Monday.'
    assert _quotes(scare) == []


def test_a_reply_named_by_its_author() -> None:
    text = (
        '"Can we discuss the budget for the first quarter?" Huma Varga wrote to the staff.'
        '\n\nVarga\'s succinct reply: "Not this week."'
    )
    assert _speaker_of(text, "Not this week.") == "Huma Varga"
