"""A PDF without a text layer: a scan (pages that are images) is reported as such, with its
own code, apart from a PDF that is merely empty (a blank page)."""

from __future__ import annotations

import pymupdf
import pytest

from ingest.errors import EmptyDocument, ScannedDocument
from ingest.loaders import load_file


def test_a_scan_is_reported_as_a_scan_and_a_blank_page_as_empty(tmp_path):
    scan = pymupdf.open()
    for _ in range(3):
        page = scan.new_page()
        pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 30, 30), False)
        pix.clear_with(180)
        page.insert_image(pymupdf.Rect(50, 50, 500, 700), pixmap=pix)
    scan.save(tmp_path / "scan.pdf")
    with pytest.raises(ScannedDocument) as info:
        load_file(tmp_path / "scan.pdf")
    assert info.value.code == "scanned"
    assert "scanning uden tekstlag" in info.value.user_message and "OCR" in info.value.user_message
    assert info.value.detail == "billeder på 3 af 3 sider, ingen tekst"

    blank = pymupdf.open()
    blank.new_page()
    blank.save(tmp_path / "blank.pdf")
    with pytest.raises(EmptyDocument) as info:
        load_file(tmp_path / "blank.pdf")
    assert info.value.code == "empty"


@pytest.mark.corpus
def test_real_scanned_enclosure(shared_corpus):
    path = (
        shared_corpus
        / "os2dagsorden-samples"
        / "ballerup_edoc_2012-12-04"
        / "Bygningsliste og prioriteringssystem.pdf"
    )
    if not path.exists():
        pytest.skip("the Ballerup sample is not in ../shared/corpus")
    with pytest.raises(ScannedDocument) as info:
        load_file(path)
    assert info.value.detail == "billeder på 8 af 8 sider, ingen tekst"
