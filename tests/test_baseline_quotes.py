"""Quotes and who said them: the attribution patterns of news English the baseline reads.
Every sentence and name here is SYNTHETIC (invented)."""

from __future__ import annotations

from extraction.baseline import extract_baseline
from extraction.baseline.text.sentences import read_document
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
        '"The ferry contract was signed long before the audit," said Rep. Jan Novak, '
        "a Democrat from Ostland and an ally of Mayor Petra Holm."
    )
    assert _speaker_of(text, "The ferry contract") == "Jan Novak"


def test_the_name_that_heads_the_subject_speaks() -> None:
    text = (
        "Petra Holm leads the race. “Our volunteers will knock on every door in the valley,” "
        "Holm running mate Gov. Piet Kessler of Ostland told reporters."
    )
    assert _speaker_of(text, "Our volunteers will") == "Piet Kessler"


def test_a_possessive_name_does_not_speak() -> None:
    text = (
        "Petra Holm spoke on Monday. “The mayor will tour the harbour districts in March,” "
        "Holm’s spokeswoman, Anna Berg, said in a statement."
    )
    assert _speaker_of(text, "The mayor will") == "Anna Berg"


def test_names_keep_middle_initials_and_lose_a_title_word() -> None:
    text = (
        '"Lending to small farms rose for a third quarter," Bank Chair Janet L. Varga said. '
        'Representative Ann Kessler said: "We will hold hearings on this next week."'
    )
    assert _speaker_of(text, "Lending to small") == "Janet L. Varga"
    assert _speaker_of(text, "We will hold") == "Ann Kessler"


def test_he_or_she_is_the_last_person_named_as_a_subject() -> None:
    text = (
        "Anna Berg, the mayor of Dorvik, met Tomas Kettle on Monday.\n\n"
        '"We will rebuild every house in the district," she said.'
    )
    assert _speaker_of(text, "We will rebuild") == "Anna Berg"
    text = (
        "When Piet Kessler was asked whether he trusts Tomas Kettle, he said, "
        '"Ask the harbour board, not me, about the cranes."'
    )
    assert _speaker_of(text, "Ask the harbour") == "Piet Kessler"


def test_mr_and_ms_decide_between_two_people() -> None:
    text = (
        "Ms. Lena Varga and Mr. Piet Kessler met the council. Mr. Kessler spoke first, "
        'and Ms. Varga answered him.\n\n"We need a new budget for the river park," he said.'
    )
    assert _speaker_of(text, "We need a") == "Piet Kessler"


def test_a_quote_opening_the_paragraph_after_its_attribution() -> None:
    text = (
        "The university released a statement on Friday. Media coordinator Dane Holm wrote:\n\n"
        "“Our teams will keep playing every home game on the old field.”"
    )
    assert _speaker_of(text, "Our teams will") == "Dane Holm"


def test_a_round_up_of_comment_names_each_writer() -> None:
    text = (
        "Here is what commentators said on Thursday.\n\n"
        'Anna Berg, The Dorvik Herald: "The mayor finally found a steady tone on the tram plan."'
    )
    assert _speaker_of(text, "The mayor finally") == "Anna Berg"


def test_a_participle_gives_the_clause_subject() -> None:
    text = (
        "The campaign declined to comment on the document, with spokesman Jan Novak saying, "
        '"The draft was never approved by the board."'
    )
    assert _speaker_of(text, "The draft was") == "Jan Novak"
    text = (
        "Senator Petra Holm, for whom Tomas Kettle once worked, privately complained about "
        'him, telling an assistant: "He never reads the committee papers."'
    )
    assert _speaker_of(text, "He never reads") == "Petra Holm"


def test_a_sentence_opening_with_a_person_and_ending_in_a_colon() -> None:
    text = (
        "Tomas Kettle and Anna Berg traded blows. Kettle mocked Berg in two short posts: "
        '"Anna Berg has no plan for the trams!"'
    )
    assert _speaker_of(text, "Anna Berg has") == "Tomas Kettle"
    text = 'Varga also sent Berg the tram memo with one note: "File before Monday."'
    assert _speaker_of(text, "File before Monday.") == "Varga"


def test_a_verb_after_another_quote_gives_the_sentence_subject() -> None:
    text = (
        "Lena Varga, who wore a shirt bearing the words “Vote for the river park,” "
        "shouted, “The park will open before the summer!”"
    )
    assert _speaker_of(text, "The park will") == "Lena Varga"


def test_short_quotes_beside_their_speaker() -> None:
    text = (
        'Jan Novak runs the finance office. "Great work, Anna!" replied finance director '
        'Jan Novak.\n\nPress officer Lena Varga replied: "Sign it today!"'
    )
    assert _speaker_of(text, "Great work, Anna!") == "Jan Novak"
    assert _speaker_of(text, "Sign it today!") == "Lena Varga"
    scare = 'The council called the plan "bold" on Monday.'
    assert _quotes(scare) == []


def test_a_reply_named_by_its_author() -> None:
    text = (
        '"Should the tram depot move to the north bank?" Edda Varga wrote to the staff.'
        '\n\nVarga\'s short reply: "Not this year."'
    )
    assert _speaker_of(text, "Not this year.") == "Edda Varga"
