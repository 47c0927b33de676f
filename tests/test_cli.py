"""The `referent` command line, run in-process with the real store and embedder."""

import json
import shutil

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
    assert "Dokumentlageret kunne ikke åbnes" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_missing_path_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "Stien findes ikke" in result.output
