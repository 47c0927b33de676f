"""The per-file structure report: what the ingest understood of each file's layout."""

import json
import shutil

from typer.testing import CliRunner

from ingest.document import Block, SourceDocument
from ingest.passages import prepare_document
from ingest.structure import structure_of
from tests.conftest import DATA, EXAMPLES
from ui.cli import app

MINUTES = "Teknik-og-Miljøudvalget_referat_2024-04-03.txt"


def prepared(doc: SourceDocument):
    return [prepare_document(doc, "x.txt", "h")]


def test_items_sections_and_what_the_layout_held_are_counted():
    blocks = [
        Block("Referat – Teknik- og Miljøudvalget, 3. april 2024", "heading", 1),
        Block("1. Godkendelse af dagsorden", "heading", 2),
        Block("Beslutning", "heading", 3),
        Block("Godkendt.", "paragraph"),
        Block("2. Trafiksikkerhed på Møllevej", "heading", 2),
        Block("Sagsnr.: 24-001234", "paragraph"),
        Block("Indstilling", "heading", 3),
        Block("Administrationen indstiller, at forundersøgelsen igangsættes.", "paragraph"),
    ]
    doc = SourceDocument(blocks, "txt", header_text="Teknik- og Miljøudvalget 3. april 2024")
    doc.noted("furniture_lines", 12)
    doc.noted("toc_entries", 2)
    doc.noted("doubled_runs", 0)  # nothing noted is not a count
    s = structure_of([doc], prepared(doc))
    assert s.items == 2 and s.passages_with_item == s.passages > 0 and s.item_share == 1.0
    assert s.layout == {"furniture_lines": 12, "toc_entries": 2}
    assert s.sections >= 2
    assert s.items_expected and "ingen dagsordenspunkter fundet" not in s.warnings()


def test_a_minutes_file_without_items_and_a_memo_without_committee_are_flagged():
    text = "Referat\n\nByrådet drøftede sagen og godkendte budgettet for 2025 uden ændringer."
    minutes = SourceDocument([Block(t) for t in text.split("\n\n")], "txt")
    minutes.metadata["doc_type"] = "referat"
    s = structure_of([minutes], prepared(minutes))
    assert s.passages and not s.passages_with_item
    assert "ingen dagsordenspunkter fundet" in s.warnings()
    memo = SourceDocument([Block("En kort tekst om cykelstier uden afsender eller dato.")], "txt")
    s = structure_of([memo], prepared(memo))
    warning = next(w for w in s.warnings() if w.startswith("ukendt"))
    assert "udvalg" in warning and "mødedato" in warning
    assert not any("dagsordenspunkter" in w for w in s.warnings()), "a memo holds no items"


def test_ingest_reports_the_structure_per_file_in_json_and_in_the_table(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(EXAMPLES / MINUTES, folder)
    shutil.copy(DATA / "cp1252_referat.txt", folder)  # a referat without agenda items
    store = tmp_path / "store"
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(folder), "--store", str(store), "--json"])
    assert result.exit_code == 0, result.output
    files = {f["source"]: f["structure"] for f in json.loads(result.stdout)["files"]}
    minutes = files[MINUTES]
    assert minutes["items"] >= 3 and minutes["item_share"] > 0.8 and not minutes["warnings"]
    assert "ingen dagsordenspunkter fundet" in files["cp1252_referat.txt"]["warnings"]

    wide = {"COLUMNS": "240"}  # one table row per file, unwrapped
    table = runner.invoke(app, ["ingest", str(folder), "--store", str(tmp_path / "s2")], env=wide)
    assert table.exit_code == 0, table.output
    assert "Struktur pr. fil" in table.stdout and "ingen dagsordenspunkter" in table.stdout
    assert "passager har et dagsordenspunkt" in table.stdout


def test_a_table_of_contents_is_never_the_title():
    blocks = [
        Block("Indhold\n1. Godkendelse af dagsorden\t2\n2. Budget 2025\t3", "toc"),
        Block("Referat af Økonomiudvalgets møde", "heading", 1),
        Block("Udvalget godkendte dagsordenen og drøftede budgettet for 2025 grundigt."),
    ]
    doc = SourceDocument(blocks, "txt")
    meta = prepared(doc)[0].metadata
    assert meta["title"] == "Referat af Økonomiudvalgets møde"
