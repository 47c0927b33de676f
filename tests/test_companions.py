"""Files an export names are renditions or attachments of its meeting (ingest.companions),
whatever order the files are found in."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from ingest.companions import find_companions
from ingest.discover import discover_files
from ingest.pipeline import Ingestor
from tests.test_exports import ACADRE_INDEX, EDOC, acadre

ATTACHMENT_TEXT = (
    "Notat om lygtepæle. Der står 412 lygtepæle langs Ringvejen, og 120 af dem er over "
    "fyrre år gamle. De ældste udskiftes først, fordi de bruger mest strøm."
)


def pdf(path: Path, text: str) -> None:
    doc = pymupdf.open()
    doc.new_page().insert_textbox(pymupdf.Rect(72, 72, 520, 770), text, fontsize=11)
    doc.save(path)


def edoc_folder(folder: Path, export_name: str) -> Path:
    """An eDoc export with the item's PDF, the whole meeting's PDF and an attachment."""
    folder.mkdir(parents=True)
    (folder / export_name).write_text(EDOC, encoding="utf-8")
    pdf(
        folder / "902.PDF", "2. Vejbelysning 2013\nSagsnr.: 2012-28504\nBelysningen skal udskiftes."
    )
    pdf(
        folder / "Teknik- og Miljøudvalget.pdf",
        "Referat\nTeknik- og Miljøudvalget\n2. Vejbelysning",
    )
    pdf(folder / "Lygtepæle og prioritering.pdf", ATTACHMENT_TEXT)
    return folder


def companions(folder: Path):
    found = discover_files([folder])
    return find_companions((f.path, f.source) for f in found.files)


@pytest.mark.parametrize("export_name", ["a_export.xml", "z_export.xml"])  # first or last
def test_roles_do_not_depend_on_the_order_files_are_found_in(tmp_path, export_name):
    found = companions(edoc_folder(tmp_path / "m", export_name))
    assert found["902.PDF"].role == "rendition"
    assert found["902.PDF"].alternate_of == export_name
    assert "punkt 2" in found["902.PDF"].note
    assert found["Teknik- og Miljøudvalget.pdf"].role == "rendition"
    attachment = dict(found["Lygtepæle og prioritering.pdf"].metadata)
    assert attachment == {
        "committee": "Teknik- og Miljøudvalget",
        "meeting_date": "2012-12-04",
        "doc_type": "bilag",
        "item_number": "2",
        "item_title": "Vejbelysning 2013",
        "case_number": "2012-28504",
        "title": "Lygtepæle og prioritering",
    }
    assert export_name not in found


def test_a_rendition_of_an_item_without_text_is_read_with_the_items_fields(tmp_path):
    folder = tmp_path / "m"
    folder.mkdir()
    no_text = EDOC.replace("<FullText>", "<NoText>").replace("</FullText>", "</NoText>")
    (folder / "export.xml").write_text(no_text, encoding="utf-8")
    pdf(folder / "902.PDF", "Vejbelysning")
    companion = companions(folder)["902.PDF"]
    assert companion.role == "item" and not companion.alternate_of
    assert dict(companion.metadata)["item_number"] == "2"


def test_acadre_index_and_agenda_agree_and_closed_attachments_stay_closed(tmp_path):
    folder = tmp_path / "acadre"
    folder.mkdir()
    (folder / "XML_1863.xml").write_text(ACADRE_INDEX, encoding="utf-8")
    (folder / "3687981.XML").write_text(acadre(), encoding="utf-8")
    pdf(folder / "Ekstraordinært UK.pdf", "Referat")
    pdf(folder / "Politik for Kultur.doc.pdf", "x")  # not a name the export uses
    pdf(folder / "Politik for Kultur.pdf", "Politik")
    found = companions(folder)
    assert found["XML_1863.xml"].role == "index"
    assert found["XML_1863.xml"].alternate_of == "3687981.XML"
    # both exports call the meeting's PDF a rendition of the agenda: they agree
    assert found["Ekstraordinært UK.pdf"].alternate_of == "3687981.XML"
    assert found["Politik for Kultur.pdf"].role == "attachment"
    assert "Politik for Kultur.doc.pdf" not in found

    # without the agenda XML, the index gives the meeting PDF its metadata to be read with
    (folder / "3687981.XML").unlink()
    found = companions(folder)
    meeting = found["Ekstraordinært UK.pdf"]
    assert meeting.role == "meeting"
    assert dict(meeting.metadata)["committee"] == "Udvalget for kultur (UK)"
    assert found["XML_1863.xml"].alternate_of == "Ekstraordinært UK.pdf"


def test_two_exports_that_disagree_about_a_file_leave_it_alone(tmp_path):
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "one.xml").write_text(EDOC, encoding="utf-8")
    other = EDOC.replace(
        "<AgendaItemNumber>2</AgendaItemNumber>", "<AgendaItemNumber>9</AgendaItemNumber>"
    )
    (folder / "two.xml").write_text(other, encoding="utf-8")
    pdf(folder / "Lygtepæle og prioritering.pdf", ATTACHMENT_TEXT)
    assert "Lygtepæle og prioritering.pdf" not in companions(folder)


def test_ingest_indexes_the_export_once_and_attachments_with_their_meeting(make_store, tmp_path):
    store, catalog = make_store()
    folder = edoc_folder(tmp_path / "meeting", "eDocAgendaPublishing.xml")
    report = Ingestor(store, catalog).run([folder])
    status = {f.source: f for f in report.files}
    assert status["eDocAgendaPublishing.xml"].status == "indexed"
    assert status["902.PDF"].status == "alternate"
    assert status["902.PDF"].alternate_of == "eDocAgendaPublishing.xml"
    assert status["Teknik- og Miljøudvalget.pdf"].status == "alternate"
    assert status["Lygtepæle og prioritering.pdf"].status == "indexed"
    stored = store.get(store.ids_where({"source": "Lygtepæle og prioritering.pdf"}))
    meta = stored[0].metadata
    assert (meta.doc_type, meta.committee, meta.meeting_date) == (
        "bilag", "Teknik- og Miljøudvalget", "2012-12-04"
    )  # fmt: skip
    assert (meta.item_number, meta.case_number, meta.title) == (
        "2", "2012-28504", "Lygtepæle og prioritering"
    )  # fmt: skip
    assert not store.ids_where({"source": "902.PDF"}), "no duplicate passages"

    again = Ingestor(store, catalog).run([folder])
    assert {f.status for f in again.files} == {"unchanged"}

    # without the export the PDFs are documents of their own again, read afresh
    (folder / "eDocAgendaPublishing.xml").unlink()
    third = {f.source: f.status for f in Ingestor(store, catalog).run([folder]).files}
    assert third["902.PDF"] == "updated"  # was an alternate, now indexed
    assert third["Lygtepæle og prioritering.pdf"] == "updated"
    stored = store.get(store.ids_where({"source": "Lygtepæle og prioritering.pdf"}))
    assert stored[0].metadata.doc_type != "bilag"


@pytest.mark.corpus
def test_real_samples_renditions_and_attachments(shared_corpus):
    base = shared_corpus / "os2dagsorden-samples"
    if not base.is_dir():
        pytest.skip("os2dagsorden-samples is not in ../shared/corpus")
    found = companions(base)
    edoc = "ballerup_edoc_2012-12-04/"
    per_item = [
        s
        for s in found
        if s.startswith(edoc) and s.upper().endswith(".PDF") and s[len(edoc) :][:1].isdigit()
    ]
    assert len(per_item) == 8 and {found[s].role for s in per_item} == {"rendition"}
    assert found[edoc + "Sundheds- og Forebyggelsesudvalget.pdf"].role == "rendition"
    scan = dict(found[edoc + "Bygningsliste og prioriteringssystem.pdf"].metadata)
    assert (scan["doc_type"], scan["item_number"], scan["case_number"]) == (
        "bilag",
        "2",
        "2012-28504",
    )
    letter = dict(found["ballerup_sbsys_Publication32/Enclosures/1.pdf"].metadata)
    assert (letter["item_number"], letter["committee"]) == ("3", "KMB IT-udvalget")
    acadre_dir = "syddjurs_acadre_1863/"
    assert found[acadre_dir + "XML_1863.xml"].role == "index"
    assert found[acadre_dir + "Ekstraordinært PUK.docx"].alternate_of == acadre_dir + "3687981.XML"
    policy = [s for s in found if "Politik for Kultur" in s]
    assert len(policy) == 2 and all(found[s].role == "attachment" for s in policy)
