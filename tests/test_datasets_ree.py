"""The REE metric (CEAF-REE with phi_strict, as in GRIT/GTT) on hand-worked examples."""

from __future__ import annotations

from evals.datasets.ree import normalise_mention, predicted_entities, ree_counts
from schemas.event import Actor, AttackEvent, Weapon, WeaponKind
from schemas.evidence import Evidence
from schemas.records import ArticleExtraction, Producer
from schemas.vocab import ActorCategory, SubType


def test_normalisation_drops_case_punctuation_and_articles() -> None:
    assert normalise_mention("The  FMLN's   'urban' Commandos.") == "fmlns urban commandos"
    assert normalise_mention("an a the") == ""


def test_a_prediction_matches_when_all_its_mentions_are_the_gold_entitys() -> None:
    gold = {"Target": [{"la estrella bank", "bank"}, {"bus"}]}
    one = ree_counts(gold, {"Target": [{"BANK"}]})
    assert one["Target"] == (1.0, 2, 1)
    too_many = ree_counts(gold, {"Target": [{"bank", "bus"}]})  # spans two gold entities
    assert too_many["Target"] == (0.0, 2, 1)


def test_alignment_is_one_to_one() -> None:
    gold = {"PerpInd": [{"gunmen", "men"}]}
    counts = ree_counts(gold, {"PerpInd": [{"gunmen"}, {"men"}]})
    assert counts["PerpInd"] == (1.0, 1, 2)  # the second mention of one entity is a false positive


def test_every_role_is_counted_even_when_empty() -> None:
    counts = ree_counts({}, {"Weapon": [{"rifle"}]})
    assert set(counts) == {"PerpInd", "PerpOrg", "Target", "Victim", "Weapon"}
    assert counts["Weapon"] == (0.0, 0, 1) and counts["Victim"] == (0.0, 0, 0)


def test_roles_of_a_sitrep_extraction() -> None:
    event = AttackEvent(
        id="E1",
        sub_type=SubType.ATTACK_ON_CIVILIANS,
        perpetrators=[
            Actor(name="Red Dawn Front", category=ActorCategory.REBEL_GROUP),
            Actor(name="gunmen"),
        ],
        targets=[
            Actor(name="Juan Perez", category=ActorCategory.CIVILIANS),
            Actor(name="the police", category=ActorCategory.STATE_FORCES),
        ],
        weapons=[
            Weapon(kind=WeaponKind.IED, evidence=Evidence(quote="a car bomb")),
            Weapon(
                kind=WeaponKind.FIREARM,
                evidence=Evidence(quote="opened fire on the police post with automatic weapons"),
            ),
        ],
    )
    extraction = ArticleExtraction(
        article_id="x",
        events=[event, event.model_copy(update={"id": "E2"})],
        producer=Producer(kind="human", name="test"),
    )
    roles = predicted_entities(extraction)
    assert roles == {
        "PerpOrg": [{"red dawn front"}],
        "PerpInd": [{"gunmen"}],
        "Victim": [{"juan perez"}],
        "Target": [{"police"}],
        "Weapon": [{"car bomb"}, {"firearm"}],  # a long quote gives the kind
    }
    assert predicted_entities(None) == {r: [] for r in roles}
