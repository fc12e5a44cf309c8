"""Per-field provenance of reviewed gold, and the acceptance rates computed from it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from labelling_support import ARTICLE_ID, PROMPT_HASH, RUN_ID, make_folder, submission_from_draft

from evals.gold import GoldFile
from labelling.fieldpaths import generic, item_paths, leaves, loc_to_path
from labelling.provenance import (
    DraftInfo,
    acceptance_rates,
    compute_provenance,
    origins_from_gold,
)
from labelling.submission import Submission, SubmissionInvalid, build_gold, diff_rows
from schemas import Records

AT = dt.datetime(2024, 5, 2, 9, 30, tzinfo=dt.UTC)
INFO = DraftInfo("test/drafting-model", RUN_ID, PROMPT_HASH)


@pytest.fixture()
def draft_records(tmp_path: Path) -> Records:
    folder, _ = make_folder(tmp_path)
    draft = folder.draft(ARTICLE_ID)
    assert draft is not None
    return draft.records


def _edit(records: Records) -> dict[str, Any]:
    return records.model_dump(mode="json")


def _prov(
    draft: Records, final: dict[str, Any], **kw: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    kw.setdefault("origins", None)
    kw.setdefault("decisions", {})
    fields, rejected = compute_provenance(
        draft, Records.model_validate(final), reviewer="ana", at=AT, draft_info=INFO, **kw
    )
    return fields, rejected


def test_leaves_cover_every_value_once(draft_records: Records) -> None:
    flat = leaves(draft_records)
    assert flat["events.E1.casualties.1.best"] == 2
    assert flat["events.E1.casualties.1.evidence"]["quote"] == "two people were “martyred”"
    assert set(flat["events.E1.casualties.1.evidence"]) == {"quote", "start", "end"}
    assert flat["statements.S1.about_events"] == ["E1"]
    assert flat["statements.S1.date"] is None  # an optional object left empty is one leaf
    assert "events.E1.event_type" not in flat and "events.E1.id" not in flat
    assert "events.E1.casualties.1" in item_paths(draft_records)
    assert generic("statements.S12.targets") == "statements.*.targets"


def test_untouched_confirmed_and_changed(draft_records: Records) -> None:
    final = _edit(draft_records)
    final["events"][0]["casualties"][1]["best"] = 3
    fields, rejected = _prov(
        draft_records, final, decisions={"events.E1.casualties.0.best": "accepted"}
    )
    changed = fields["events.E1.casualties.1.best"]
    assert (changed.source, changed.by, changed.at) == ("changed", "ana", AT)
    assert (changed.drafted_by, changed.run, changed.prompt_hash) == (
        "test/drafting-model",
        RUN_ID,
        PROMPT_HASH,
    )
    assert changed.draft_path == "events.E1.casualties.1.best"
    assert fields["events.E1.casualties.0.best"].source == "confirmed"
    untouched = fields["events.E1.outcome"]
    assert (untouched.source, untouched.by, untouched.at) == ("model", None, None)
    assert rejected == {}
    assert set(fields) == set(leaves(Records.model_validate(final)))


def test_an_edit_back_to_the_draft_value_counts_as_confirmed(draft_records: Records) -> None:
    fields, _ = _prov(
        draft_records, _edit(draft_records), decisions={"events.E1.sub_type": "edited"}
    )
    assert fields["events.E1.sub_type"].source == "confirmed"


def test_reordering_with_origins_is_not_a_change(draft_records: Records) -> None:
    final = _edit(draft_records)
    cas = final["events"][0]["casualties"]
    cas.reverse()
    origins = {p: p for p in item_paths(draft_records)}
    origins["events.E1.casualties.0"] = "events.E1.casualties.1"
    origins["events.E1.casualties.1"] = "events.E1.casualties.0"
    fields, rejected = _prov(draft_records, final, origins=origins)
    assert {fields[f"events.E1.casualties.{i}.best"].source for i in (0, 1)} == {"model"}
    assert fields["events.E1.casualties.0.best"].draft_path == "events.E1.casualties.1.best"
    assert rejected == {}
    # Without origins, items are matched by position, so the swap shows as changes.
    fields, _ = _prov(draft_records, final)
    assert fields["events.E1.casualties.0.kind"].source == "changed"


def test_removed_and_added_items(draft_records: Records) -> None:
    final = _edit(draft_records)
    final["events"] = [e for e in final["events"] if e["id"] != "E2"]
    final["events"][0]["weapons"].append({"kind": "rocket"})
    fields, rejected = _prov(draft_records, final)
    assert fields["events.E1.weapons.2.kind"].source == "added"
    assert fields["events.E1.weapons.2.kind"].drafted_by is None
    assert fields["events.E1.weapons.2.kind"].by == "ana"
    e2_leaves = {p for p in leaves(draft_records) if p.startswith("events.E2.")}
    assert set(rejected) == e2_leaves
    assert {r.source for r in rejected.values()} == {"rejected"}
    assert rejected["events.E2.sub_type"].draft_path == "events.E2.sub_type"


def test_filling_an_optional_object_the_draft_left_empty(draft_records: Records) -> None:
    final = _edit(draft_records)
    final["statements"][0]["date"] = {"phrase": "Thursday", "precision": "unresolved"}
    fields, rejected = _prov(draft_records, final)
    assert fields["statements.S1.date.phrase"].source == "added"
    assert fields["statements.S1.date.value"].source == "added"  # left empty in the new date
    assert "statements.S1.date" not in rejected  # the empty draft value was replaced, not lost
    # ... and the reverse: a statement date in the draft that the person removes.
    dated = _edit(draft_records)
    dated["statements"][0]["date"] = {"phrase": "Thursday", "precision": "unresolved"}
    fields, rejected = _prov(Records.model_validate(dated), _edit(draft_records))
    assert fields["statements.S1.date"].source == "changed"
    assert fields["statements.S1.date"].draft_path == "statements.S1.date"
    assert not any(p.startswith("statements.S1.date") for p in rejected)
    # ... and a date inside an event the person clears.
    final = _edit(draft_records)
    final["events"][2]["date"] = {"precision": "unresolved"}
    fields, _ = _prov(draft_records, final)
    assert fields["events.E3.date.phrase"].source == "changed"


def test_previous_review_keeps_who_and_when_for_untouched_fields(tmp_path: Path) -> None:
    folder, article = make_folder(tmp_path)
    draft = folder.draft(ARTICLE_ID)
    raw = submission_from_draft(folder)
    raw["records"]["events"][0]["casualties"][1]["best"] = 3
    first = build_gold(
        Submission.model_validate(raw), article, draft=draft, previous=None, reviewer="ana", now=AT
    )
    # Bo reopens Ana's gold and changes only the killed figure.
    records = first.records.model_dump(mode="json")
    records["events"][0]["casualties"][0]["best"] = 4
    raw2 = {"records": records, "origins": None}
    later = AT + dt.timedelta(days=1)
    second = build_gold(
        Submission.model_validate(raw2),
        article,
        draft=draft,
        previous=first,
        reviewer="bo",
        now=later,
    )
    by_ana = second.field_provenance["events.E1.casualties.1.best"]
    assert (by_ana.source, by_ana.by, by_ana.at) == ("changed", "ana", AT)
    by_bo = second.field_provenance["events.E1.casualties.0.best"]
    assert (by_bo.source, by_bo.by, by_bo.at) == ("changed", "bo", later)
    assert second.provenance.labeller == "bo"


def test_build_gold_refuses_invalid_records_naming_each_field(tmp_path: Path) -> None:
    folder, article = make_folder(tmp_path)
    raw = submission_from_draft(folder)
    e1 = raw["records"]["events"][0]
    e1["casualties"][0]["best"] = -1
    e1["casualties"][1]["evidence"] = {"quote": "wounding several others", "start": 0, "end": 23}
    raw["records"]["statements"][1]["about_events"] = ["E9"]
    with pytest.raises(SubmissionInvalid) as info:
        build_gold(
            Submission.model_validate(raw),
            article,
            draft=folder.draft(ARTICLE_ID),
            previous=None,
            reviewer="ana",
        )
    paths = {e.path for e in info.value.errors}
    assert "events.E1.casualties.0.best" in paths
    assert "events.E1.casualties.1.evidence" in paths
    messages = " ".join(e.message for e in info.value.errors)
    assert "does not hold the quote" in messages


def test_unknown_event_link_is_reported_at_the_records_level(tmp_path: Path) -> None:
    folder, article = make_folder(tmp_path)
    raw = submission_from_draft(folder)
    raw["records"]["statements"][1]["about_events"] = ["E9"]
    with pytest.raises(SubmissionInvalid, match="unknown events"):
        build_gold(
            Submission.model_validate(raw),
            article,
            draft=folder.draft(ARTICLE_ID),
            previous=None,
            reviewer="ana",
        )


def test_loc_to_path_uses_record_ids() -> None:
    raw = {"events": [{"id": "E7", "weapons": [{}, {"count": -2}]}]}
    assert loc_to_path(("events", 0, "weapons", 1, "count"), raw) == "events.E7.weapons.1.count"
    assert loc_to_path(("events", 3, "id"), raw) == "events.#3.id"


def test_origins_from_gold_recover_reordering(draft_records: Records, tmp_path: Path) -> None:
    folder, article = make_folder(tmp_path / "x")
    draft = folder.draft(ARTICLE_ID)
    assert draft is not None
    raw = submission_from_draft(folder)
    raw["records"]["events"][0]["casualties"].reverse()
    raw["origins"] = {p: p for p in item_paths(draft.records)}
    raw["origins"]["events.E1.casualties.0"] = "events.E1.casualties.1"
    raw["origins"]["events.E1.casualties.1"] = "events.E1.casualties.0"
    raw["records"]["events"][0]["weapons"].append({"kind": "rocket"})
    gold = build_gold(
        Submission.model_validate(raw), article, draft=draft, previous=None, reviewer="ana"
    )
    origins = origins_from_gold(gold, draft.records)
    assert origins["events.E1.casualties.0"] == "events.E1.casualties.1"
    assert origins["events.E1.casualties.1"] == "events.E1.casualties.0"
    assert origins["events.E1.weapons.2"] is None
    assert origins["statements.S2"] == "statements.S2"


def test_diff_rows_list_only_what_changed(tmp_path: Path) -> None:
    folder, article = make_folder(tmp_path)
    draft = folder.draft(ARTICLE_ID)
    raw = submission_from_draft(folder)
    raw["records"]["events"][0]["casualties"][1]["best"] = 3
    raw["records"]["statements"] = raw["records"]["statements"][:1]
    gold = build_gold(
        Submission.model_validate(raw), article, draft=draft, previous=None, reviewer="ana"
    )
    rows = diff_rows(gold, draft)
    changed = [r for r in rows if r["source"] == "changed"]
    assert changed == [
        {"path": "events.E1.casualties.1.best", "draft": 2, "value": 3, "source": "changed"}
    ]
    assert draft is not None
    drafted = leaves(draft.records)
    s2 = {p for p, v in drafted.items() if p.startswith("statements.S2.") and v is not None}
    assert "statements.S2.role" not in s2  # empty in the draft: nothing lost, not listed
    assert {r["path"] for r in rows if r["source"] == "rejected"} == s2


def _gold(
    sources: dict[str, str], rejected: dict[str, str] | None = None, status: str = "reviewed"
) -> GoldFile:
    return GoldFile.model_validate(
        {
            "article_id": "a",
            "article_sha256": "0",
            "records": {},
            "provenance": {
                "labeller": "ana",
                "method": "m",
                "labelled_at": "2024-05-01",
                "status": status,
            },
            "field_provenance": {k: {"source": v} for k, v in sources.items()},
            "rejected": {k: {"source": v} for k, v in (rejected or {}).items()},
        }
    )


def test_acceptance_rates_per_field() -> None:
    g1 = _gold(
        {
            "events.E1.sub_type": "confirmed",
            "events.E2.sub_type": "changed",
            "events.E1.casualties.0.best": "confirmed",
            "events.E1.outcome": "model",
            "statements.S1.kind": "added",
        },
        rejected={"events.E3.sub_type": "rejected"},
    )
    g2 = _gold({"events.E1.sub_type": "confirmed", "events.E1.casualties.3.best": "changed"})
    draft_only = _gold({"events.E1.sub_type": "changed"}, status="draft")  # not counted
    rows = {r.field: r for r in acceptance_rates([g1, g2, draft_only])}
    sub = rows["events.*.sub_type"]
    # 2 confirmed out of 4 reviewed draft values (2 confirmed, 1 changed, 1 rejected).
    assert (sub.confirmed, sub.changed, sub.rejected, sub.reviewed) == (2, 1, 1, 4)
    assert sub.acceptance == pytest.approx(0.5)
    assert rows["events.*.casualties.*.best"].acceptance == pytest.approx(0.5)
    assert rows["events.*.outcome"].acceptance is None and rows["events.*.outcome"].model == 1
    assert rows["statements.*.kind"].added == 1 and rows["statements.*.kind"].acceptance is None
    total = rows["all"]
    assert (total.confirmed, total.changed, total.rejected, total.model, total.added) == (
        3,
        2,
        1,
        1,
        1,
    )
    assert total.acceptance == pytest.approx(3 / 6)
