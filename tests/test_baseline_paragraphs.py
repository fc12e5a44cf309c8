"""Hard-wrapped texts (SYNTHETIC sentences): lines joined into paragraphs before sentences."""

from __future__ import annotations

from extraction.baseline import extract_baseline
from extraction.baseline.text.sentences import read_document
from schemas.article import Article

WRAPPED = (
    "   SYNTHVILLE, 3 JAN 90 -- [TEXT] THE ARMY COMMAND HAS REPORTED THAT ABOUT\n"
    "FIFTY VILLAGERS OF VARIOUS AGES HAVE BEEN KIDNAPPED BY GUNMEN OF THE\n"
    "INVENTED LIBERATION FRONT IN THE NORTH.  ACCORDING TO THE GARRISON, THE\n"
    "MASS KIDNAPPING TOOK PLACE ON 30 DECEMBER NEAR AN INVENTED VILLAGE.\n"
    "\n"
    "   MEANWHILE, THREE SOLDIERS WERE KILLED AND SEVEN OTHERS WERE WOUNDED\n"
    "DURING A CLASH YESTERDAY IN THE SAME AREA, THE COMMAND ADDED IN A SHORT\n"
    "STATEMENT RELEASED TO THE PRESS THIS MORNING.\n"
)


def test_wrapped_lines_form_sentences_not_headlines() -> None:
    doc = read_document(WRAPPED)
    assert not any(s.headline for s in doc.sentences)
    assert any("KIDNAPPED BY GUNMEN" in " ".join(s.text.split()) for s in doc.sentences)


def test_an_event_is_found_in_a_wrapped_text() -> None:
    x = extract_baseline(Article(id="wrapped-synthetic", text=WRAPPED))
    assert x.events


def test_short_lines_stay_blocks() -> None:
    text = "Invented headline\nDrones hit a made-up town.\n\nNobody claimed it."
    doc = read_document(text)
    assert doc.sentences[0].headline
    assert not doc.sentences[1].headline


NUMBERED = (  # SYNTHETIC: a communique of short numbered points, wrapped at a fixed width
    "   SYNTHVILLE, 9 JAN 90 -- [TEXT] HERE IS AN OFFICIAL INVENTED MINISTRY COMMUNIQUE:\n"
    "\n"
    "   1. AT 0945 THIS MORNING, A GROUP OF SUBVERSIVES CONDUCTED AN ARMED\n"
    "TERRORIST ATTACK AGAINST FORMER INVENTED MINISTER GENERAL ANA MADEUP,\n"
    "RETIRED.\n"
    "\n"
    "   2. THE VICTIM WAS TAKEN TO THE INVENTED HOSPITAL WHERE SHE\n"
    "UNFORTUNATELY DIED OF HER WOUNDS.\n"
    "\n"
    "   3. THE AUTHORITIES ARE INVESTIGATING THE ATTACK, AND THEY ARE\n"
    "CONDUCTING THE APPROPRIATE OPERATIONS TO CAPTURE THE CRIMINALS.\n"
)


def test_short_numbered_paragraphs_wrapped_mid_sentence_are_joined() -> None:
    doc = read_document(NUMBERED)
    assert any("A GROUP OF SUBVERSIVES CONDUCTED" in s.text for s in doc.sentences)
    assert extract_baseline(Article(id="numbered-synthetic", text=NUMBERED)).events
