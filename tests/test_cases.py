"""A case's history and the news since a date, read from an index snapshot (issue 22).

On the examples store: the heating case 24-018452 goes Børne- og Skoleudvalget (4 March 2025)
→ Økonomiudvalget (17 March) → Byrådet (24 March); closed items (25-001502 in Økonomiudvalget
and Byrådet, 25-000981 in Børne- og Skoleudvalget) must not show to a public caller. The
corpus check compares `case_history` with the raw portal JSON files of ../shared/corpus/greve.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cases import case_history, find_cases
from assistant.news import default_since, news_since
from danish.committees import display_committee
from danish.decisions import (
    PORTAL_CLOSED_PREFIX,
    decision_outcome,
    looks_like_case_number,
    normalise_case_number,
)
from ui.cli import app

HEATING = "24-018452"
CLOSED_CASES = ("25-001502", "25-000981")
CLOSED_TITLES = ("Salg af erhvervsgrund", "Klage over afslag på skoleskift")
runner = CliRunner()
# read at import: the autouse `isolated_env` fixture removes every REFERENT_* setting
CORPUS_STORE = os.environ.get("REFERENT_TEST_CORPUS_STORE", "")


@pytest.fixture(scope="module")
def snapshot(example_searcher):
    return example_searcher.searcher.snapshots.current()


# -- the Danish rules --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("Godkendt.", "godkendt"),
        ("Anbefales.", "anbefalet"),
        ("Økonomiudvalget anbefaler overfor Byrådet at indstillingen godkendes", "anbefalet"),
        ("Byrådet godkendte Økonomiudvalgets indstilling.", "godkendt"),
        ("Orienteringen blev taget til efterretning.", "taget til efterretning"),
        ("Godkendes ikke.", "ikke godkendt"),
        ("Sagen udsættes til næste møde.", "udsat"),
        ("Godkendt, idet punkt 2 udsættes.", "godkendt"),
        ("Sagen oversendes til Byrådet uden anbefaling.", "oversendt"),
        ("Udvalget drøftede sagen og godkendte indstillingen.", "godkendt"),
        ("Udvalget drøftede årsplanen.", "drøftet"),
        ("Udvalget præsenterede sig.", ""),
    ],
)
def test_decision_outcome_names_what_the_text_says_first(text, outcome):
    assert decision_outcome(text) == outcome


def test_case_numbers_as_typed():
    assert normalise_case_number("24 – 018452.") == HEATING
    assert normalise_case_number("24 018452") == HEATING
    assert looks_like_case_number("EMN-2024-01234") and looks_like_case_number("24 018452")
    assert not looks_like_case_number("Varmen i skolerne")
    assert not looks_like_case_number("Budget 2025")


# -- a case's history --------------------------------------------------------------------


def test_the_heating_case_through_three_committees_in_date_order(snapshot):
    history = case_history(snapshot, HEATING, "public")
    assert history is not None
    steps = [(t.committee, t.meeting_date, t.item_number) for t in history.treatments]
    assert steps == [
        ("Børne- og Skoleudvalget", "2025-03-04", "2"),
        ("Økonomiudvalget", "2025-03-17", "3"),
        ("Byrådet", "2025-03-24", "3"),
    ]
    assert [t.outcome for t in history.treatments] == ["anbefalet", "anbefalet", "godkendt"]
    assert all(t.decision and t.recommendation and t.chunk_id for t in history.treatments)
    assert history.status == "Afgjort af Byrådet den 24. marts 2025: godkendt"
    assert history.title.startswith("Varmen i skolerne")
    shape = history.to_dict()
    assert list(shape) == ["case_number", "title", "treatments", "status"]
    assert list(shape["treatments"][0]) == [
        "committee", "meeting_date", "item_number", "title", "outcome", "decision",
        "recommendation", "source", "chunk_id", "url",
    ]  # fmt: skip
    assert all(t["url"] == "" for t in shape["treatments"])  # no URL is invented


def test_each_step_quotes_the_passage_it_names(snapshot):
    history = case_history(snapshot, HEATING, "public")
    for step in history.treatments:
        (passage,) = snapshot.get([step.chunk_id])
        assert " ".join(step.decision.split()[:4]) in " ".join(passage.text.split())


def test_status_before_the_council_has_decided(snapshot):
    from assistant.cases import case_status

    steps = case_history(snapshot, HEATING, "public").treatments[:2]
    assert case_status(steps).startswith("Anbefalet af Økonomiudvalget den 17. marts 2025; ")
    assert case_status(steps).endswith("findes ikke i dokumenterne")


def test_find_by_number_as_typed_and_by_title_words(snapshot):
    for typed in (HEATING, "24 018452", "24–018452", "018452"):
        assert [c.case_number for c in find_cases(snapshot, typed, "public")] == [HEATING]
    found = find_cases(snapshot, "varmen skolerne", "public")
    assert [c.case_number for c in found] == [HEATING]
    assert found[0].treatments == 3 and found[0].last_committee == "Byrådet"
    assert find_cases(snapshot, "skolernes varme", "public")[0].case_number == HEATING  # stems
    assert find_cases(snapshot, "ingen-saadan-titel", "public") == []


def test_several_matches_are_candidates_newest_first(snapshot):
    found = find_cases(snapshot, "godkendelse dagsorden", "public")
    assert len(found) >= 2
    assert [c.last_date for c in found] == sorted((c.last_date for c in found), reverse=True)


def test_a_public_caller_sees_no_closed_step_count_or_title(snapshot):
    for case in CLOSED_CASES:
        assert case_history(snapshot, case, "public") is None
        assert find_cases(snapshot, case, "public") == []
        assert case_history(snapshot, case, "closed") is not None
    for title in CLOSED_TITLES:
        assert find_cases(snapshot, title, "public") == []
        assert find_cases(snapshot, title, "closed")
    news = news_since(snapshot, date(2025, 1, 1), None, "public")
    shown = json.dumps([m.to_dict() for m in news], ensure_ascii=False)
    assert not any(c in shown for c in CLOSED_CASES)
    assert not any(t in shown for t in CLOSED_TITLES)
    # a closed portal item has only its title, no decision: the news list has nothing of it
    # even for a closed caller, while the case page shows it (above)


# -- news ------------------------------------------------------------------------------------


def test_news_per_meeting_newest_first(snapshot):
    assert default_since(snapshot, None, "public") == date(2025, 3, 17)
    latest = news_since(snapshot, None, None, "public")
    assert [(m.committee, m.meeting_date) for m in latest] == [("Byrådet", "2025-03-24")]
    news = news_since(snapshot, date(2025, 3, 1), None, "public")
    assert [m.meeting_date for m in news] == ["2025-03-24", "2025-03-17", "2025-03-04"]
    heating = next(d for d in news[0].decisions if d.case_number == HEATING)
    assert heating.outcome == "godkendt" and heating.decision and heating.chunk_id
    assert [d.item_number for d in news[0].decisions] == sorted(
        (d.item_number for d in news[0].decisions), key=int
    )
    only = news_since(snapshot, date(2025, 3, 1), "økonomiudvalget", "public")
    assert [m.committee for m in only] == ["Økonomiudvalget"]


# -- the command line ----------------------------------------------------------------------


def _store(example_searcher) -> str:
    return str(example_searcher.root / "store")


def test_cli_case_json_and_text(example_searcher):
    result = runner.invoke(
        app, ["case", "24 018452", "--store", _store(example_searcher), "--json"]
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["case_number"] == HEATING
    assert [t["committee"] for t in shown["treatments"]] == [
        "Børne- og Skoleudvalget", "Økonomiudvalget", "Byrådet",
    ]  # fmt: skip
    assert shown["status"] == "Afgjort af Byrådet den 24. marts 2025: godkendt"
    text = runner.invoke(app, ["case", "varmen i skolerne", "--store", _store(example_searcher)])
    assert text.exit_code == 0, text.output
    assert "Sagens forløb" in text.stdout and "24. marts 2025" in text.stdout
    several = runner.invoke(app, ["case", "dagsorden", "--store", _store(example_searcher)])
    assert several.exit_code == 0 and "Flere sager passer" in several.stdout


def test_cli_public_by_default_and_closed_by_setting(example_searcher, monkeypatch):
    store = _store(example_searcher)
    hidden = runner.invoke(app, ["case", "25-001502", "--store", store])
    assert hidden.exit_code == 1 and "Ingen sag passer" in hidden.output
    assert "Salg af erhvervsgrund" not in hidden.output
    news = runner.invoke(app, ["nyt", "--since", "2025-01-01", "--store", store, "--json"])
    assert news.exit_code == 0, news.output
    assert "25-001502" not in news.stdout and "Salg af erhvervsgrund" not in news.stdout
    monkeypatch.setenv("REFERENT_ACCESS_LEVEL", "closed")
    shown = runner.invoke(app, ["case", "25-001502", "--store", store, "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["title"].startswith("Salg af erhvervsgrund")


def test_cli_news(example_searcher):
    store = _store(example_searcher)
    result = runner.invoke(app, ["nyt", "--store", store, "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["since"] == "2025-03-17"
    assert [m["meeting_date"] for m in shown["meetings"]] == ["2025-03-24"]
    text = runner.invoke(app, ["nyt", "--since", "2025-03-01", "--store", store])
    assert text.exit_code == 0 and "Nyt siden 1. marts 2025" in text.stdout
    assert "Byrådet, 24. marts 2025" in text.stdout
    bad = runner.invoke(app, ["nyt", "--committee", "Skatteudvalget", "--store", store])
    assert bad.exit_code == 2 and "Intet udvalg" in bad.output
    baddate = runner.invoke(app, ["nyt", "--since", "marts", "--store", store])
    assert baddate.exit_code == 2


# -- the corpus check: every case in two meetings or more, against the raw portal files ----


def _raw_meetings(folder: Path) -> dict[str, list[tuple[str, str, str, bool]]]:
    """case number → (meeting date, committee as a sentence names it, item number, closed) of
    every portal item carrying it, read from the JSON files themselves."""
    found: dict[str, list[tuple[str, str, str, bool]]] = defaultdict(list)
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text("utf-8-sig"))
        meeting = data.get("Moede") or {}
        day = (meeting.get("Dato") or meeting.get("MeetingBeginUtc") or "")[:10]
        committee = display_committee(
            " ".join(((data.get("Udvalg") or {}).get("Navn") or "").split())
        )
        for item in data.get("Dagsordenpunkter") or []:
            number = str(item.get("SagsNummer") or item.get("CaseNumber") or "")
            name = item.get("Navn") or item.get("Caption") or ""
            if number:
                closed = name.strip().lower().startswith(PORTAL_CLOSED_PREFIX)
                item_no = str(item.get("Punktnummer") or item.get("Number") or "")
                found[number].append((day, committee, item_no, closed))
    return found


def test_every_case_in_two_meetings_lists_exactly_those_meetings(shared_corpus):
    where = CORPUS_STORE
    if not where:
        pytest.skip("REFERENT_TEST_CORPUS_STORE names no store of the whole shared corpus")
    from vectorstore.snapshots import SnapshotReader

    folder = Path(where)
    snapshot = SnapshotReader(folder if (folder / "CURRENT").exists() else next(
        p for p in folder.glob("index*") if (p / "CURRENT").exists())).current()  # fmt: skip
    raw = _raw_meetings(shared_corpus / "greve")
    checked, mismatches = 0, []
    for number, items in sorted(raw.items()):
        if len({(d, c) for d, c, _, _ in items}) < 2:
            continue
        checked += 1
        for access, wanted in (
            ("closed", items),
            ("public", [i for i in items if not i[3]]),
        ):
            history = case_history(snapshot, number, access)
            got = (
                [(t.meeting_date, t.committee, t.item_number) for t in history.treatments]
                if history
                else []
            )
            expected = sorted((d, c, n) for d, c, n, _ in wanted)
            if sorted(got) != expected or [g[0] for g in got] != sorted(g[0] for g in got):
                mismatches.append((number, access, expected, got))
            if history:
                for step in history.treatments:
                    assert step.outcome == (
                        decision_outcome(step.decision) if step.decision else ""
                    )
    print(f"\ncorpus check: {checked} cases in two meetings or more, {len(mismatches)} mismatches")
    for mismatch in mismatches[:20]:
        print(mismatch)
    assert checked > 50
    assert not mismatches
