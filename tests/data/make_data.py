"""Rebuilds the purpose-made test files in this folder (run from anywhere).

Each file is named for the case it covers. They are committed; this script documents how they
were made and lets anyone rebuild them.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pymupdf

HERE = Path(__file__).parent


def pdf_with_text(path: Path, pages: list[str], **save) -> None:
    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page()
        page.insert_textbox(pymupdf.Rect(72, 72, 520, 770), text, fontsize=11, fontname="helv")
    doc.set_metadata({"creationDate": "D:20250101000000", "modDate": "D:20250101000000"})
    doc.save(path, garbage=3, deflate=True, **save)


def main() -> None:
    body = (
        "Referat fra Teknik- og Miljøudvalget den 3. april 2024. Udvalget godkendte "
        "indstillingen om nye cykelstier ved skolerne."
    )
    pdf_with_text(
        HERE / "encrypted.pdf",
        [body],
        encryption=pymupdf.PDF_ENCRYPT_AES_256,
        user_pw="hemmelig",
        owner_pw="hemmelig",
    )
    pdf_with_text(HERE / "valid_two_pages.pdf", [body, "Side 2 af 2\nMere tekst om cykelstier."])
    data = (HERE / "valid_two_pages.pdf").read_bytes()
    (HERE / "corrupt.pdf").write_bytes(data[: len(data) // 3])
    # a scanned page: an image and no text layer
    scan = pymupdf.open()
    page = scan.new_page()
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 40), False)
    pix.clear_with(200)
    page.insert_image(pymupdf.Rect(72, 72, 300, 300), pixmap=pix)
    scan.save(HERE / "scanned_no_text.pdf")
    (HERE / "empty.txt").write_bytes(b"")
    (HERE / "whitespace_only.txt").write_text("   \n\n\t  \n", encoding="utf-8")
    (HERE / "binary_garbage.txt").write_bytes(bytes(range(256)) * 8)
    (HERE / "cp1252_referat.txt").write_bytes(
        "Referat af møde i Ældrerådet\n\nDato: 12. februar 2009\n\n"
        "Rådet drøftede ældreplejen på Søndergården og bad om en redegørelse for "
        "ventetiderne. Formanden præsenterede årets budget på 1.250.000 kr.\n".encode("cp1252")
    )
    (HERE / "unsupported.xlsx").write_bytes(b"PK\x03\x04 not really a spreadsheet")
    (HERE / "corrupt.docx").write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    (HERE / "encrypted.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    (HERE / "not_a_meeting.json").write_text('{"navn": "ikke et møde"}', encoding="utf-8")
    (HERE / "invalid.json").write_text('{"Dagsordenpunkter": [', encoding="utf-8")
    memo = docx.Document()
    memo.add_heading("Notat om vintervedligeholdelse", level=1)
    memo.add_paragraph("Dato: 27-08-2025")
    memo.add_paragraph("Sagsnr.: 25-004711")
    memo.add_heading("Baggrund", level=2)
    memo.add_paragraph(
        "Teknik- og Miljøudvalget har bedt om et overblik over udgifterne til saltning "
        "og snerydning på de kommunale veje i vinteren 2024-2025."
    )
    table = memo.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Post", "Beløb"
    table.cell(1, 0).text, table.cell(1, 1).text = "Saltning", "2,1 mio. kr."
    memo.core_properties.title = "Notat om vintervedligeholdelse"
    memo.save(HERE / "memo_with_table.docx")


if __name__ == "__main__":
    main()
