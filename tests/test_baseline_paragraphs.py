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


NUMBERED = (  # SYNTHETIC: a statement of short numbered points, wrapped at a fixed width
    "   SYNTHVILLE, 4 MAY 90 -- [TEXT] THE INVENTED PROVINCE POLICE ISSUED THESE POINTS TONIGHT:\n"
    "\n"
    "   1. THIS MORNING, SEVERAL MASKED MEN CARRIED OUT AN ARMED\n"
    "TERRORIST ATTACK ON THE CONVOY OF THE INVENTED GOVERNOR ANA MADEUP\n"
    "NEAR THE RIVER.\n"
    "\n"
    "   2. TWO GUARDS WERE TAKEN TO A CLINIC IN THE PROVINCE, WHERE THEY\n"
    "ARE BEING TREATED FOR THEIR WOUNDS.\n"
    "\n"
    "   3. PATROLS HAVE BEEN SENT ALONG THE RIVER ROAD, AND CHECKPOINTS\n"
    "HAVE BEEN SET UP AT EVERY BRIDGE IN THE PROVINCE.\n"
)


def test_short_numbered_paragraphs_wrapped_mid_sentence_are_joined() -> None:
    doc = read_document(NUMBERED)
    assert any("SEVERAL MASKED MEN CARRIED OUT" in s.text for s in doc.sentences)
    assert extract_baseline(Article(id="numbered-synthetic", text=NUMBERED)).events
