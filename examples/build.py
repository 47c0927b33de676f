"""Build the Lindbæk Kommune sample corpus.

Regenerates every file in ``examples/documents/`` from ``examples/src/``:

* ``src/portal/*.toml`` + ``src/portal/sager/*.html`` -> meeting-portal JSON (FirstAgenda/Prepare)
* ``src/pdf/*.html``  -> PDF (pymupdf Story, running header and "Side N af M" footer)
* ``src/docx/*.toml`` -> DOCX (python-docx, heading styles, letterhead, tables)
* ``src/txt/*.txt``   -> TXT re-encoded as cp1252 with CRLF line endings (old Windows export)
* ``src/html/*.html``, ``src/md/*.md`` -> copied unchanged

The output is deterministic: ids are derived from the sources, PDF/DOCX metadata and
zip timestamps are fixed.

Run from the repository root:  .venv/bin/python examples/build.py
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import tomllib
import uuid
import zipfile
from pathlib import Path

import docx
import pymupdf
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

ROOT = Path(__file__).resolve().parent
SRC = ROOT / "src"
OUT = ROOT / "documents"

MUNICIPALITY = "Lindbæk Kommune"
ZERO_UUID = "00000000-0000-0000-0000-000000000000"
PORTAL_URL = "https://dagsordener.lindbaek.dk"


def stable_uuid(*parts: str) -> str:
    """Random-looking but reproducible version-4 UUID derived from ``parts``."""
    digest = hashlib.sha256("/".join(parts).encode("utf-8")).digest()[:16]
    return str(uuid.UUID(bytes=digest, version=4))


# --------------------------------------------------------------------------- portal JSON


def _item_html(item: dict, level: str, sager: Path) -> str:
    """Assemble the ``Felter[0].Html`` of one agenda item the way the portal does."""
    if "lukket" in item:  # closed items only carry a short decision text
        return item["lukket"]
    if "fremstilling" in item:
        body = (sager / item["fremstilling"]).read_text(encoding="utf-8").strip()
    else:
        body = item["tekst"].strip()
    if level != "h3":  # some portal templates use <h4> for the sub-sections
        body = body.replace("<h3>", f"<{level}>").replace("</h3>", f"</{level}>")
    html = "<div><div id='sagsfremstillingContainer'>\r\n\r\n"
    if "beslutning" in item:
        html += f"<div><h3>Beslutning</h3>\r\n<span>{item['beslutning']}</span>\r\n</div>\r\n"
    html += f"<h3>Fremstilling</h3>\r\n<span class='ukendt'>{body}</span>\r\n\r\n"
    if item.get("forloeb"):
        html += "<h3>Sagens forløb</h3>\r\n<span class='sagsforloeb'>"
        for step in item["forloeb"]:
            html += f"<u>{step['dato']} {step['udvalg']}</u><br>\r\n{step['tekst']}<br>\r\n\r\n"
        html += "</span>\r\n\r\n"
    return html + "\r\n</div></div>"


def build_portal_json(spec_path: Path) -> Path:
    spec = tomllib.loads(spec_path.read_text(encoding="utf-8"))
    meeting_id = spec["moede_id"]
    level = spec.get("overskrift", "h3")
    items = []
    for number, item in enumerate(spec["punkt"], start=1):
        closed = "lukket" in item
        document_id = ZERO_UUID if closed else stable_uuid(meeting_id, str(number), "document")
        items.append(
            {
                "Lydfiler": None,
                "Ressourcer": None,
                "Felter": [
                    {
                        "Navn": "",
                        "Html": _item_html(item, level, spec_path.parent / "sager"),
                        "Tekst": None,
                        "Id": ZERO_UUID,
                        "Link": "" if closed else f"{PORTAL_URL}/Vis/Pdf/bilag/{document_id}",
                        "DocumentId": document_id,
                    }
                ],
                "Presentations": None,
                "ItemDecision": None,
                "SagsNummer": item["sagsnummer"],
                "Navn": item["navn"],
                "Punktnummer": str(number),
                "Bilag": [
                    {
                        "HarPdfVersion": "true",
                        "Order": 0,
                        "Navn": name,
                        "Id": stable_uuid(meeting_id, str(number), "bilag", name),
                    }
                    for name in item.get("bilag", [])
                ],
                "Documents": None,
                "Id": stable_uuid(meeting_id, str(number), "item"),
                "IntegrationUid": ZERO_UUID,
                "CorporationUid": ZERO_UUID,
                "AgendaUid": meeting_id,
                "Number": str(number),
                "Sorting": number,
                "IsOpen": False,
                "CaseNumber": item["sagsnummer"],
                "SourceId": None,
                "Caption": item["navn"],
                "CasePresentationUid": None,
                "ExternalAgendaItemAttendees": [],
            }
        )
    absent = set(spec.get("fravaerende", []))
    meeting = {
        "Dagsordenpunkter": items,
        "Udvalg": {"Id": spec["udvalg_id"], "Navn": spec["udvalg"], "Historisk": False},
        "Moede": {
            "Id": ZERO_UUID,
            "MeetingBeginUtc": spec["dato"],
            "MeetingEndUtc": None,
            "ReleasedDate": None,
            "Dato": spec["dato"],
            "Sted": spec["sted"],
            "Afsluttet": spec["afsluttet"],
            "Moededeltagere": [
                {
                    "Name": name,
                    "Absent": name in absent,
                    "ParticipationCancelled": False,
                    "AttendanceType": 0,
                }
                for name in spec["deltagere"]
            ],
            "Navn": "Dagsorden",
            "Description": "",
            "ElasticSearchResults": None,
            "IsSupplementaryAgenda": False,
        },
        "TillaegsDagsorden": False,
        "Id": meeting_id,
        "Lydfiler": None,
    }
    target = OUT / f"{spec['udvalg']}_{spec['dato']}_{meeting_id}.json"
    target.write_text(json.dumps(meeting, ensure_ascii=False, indent=2), encoding="utf-8")
    return target


# --------------------------------------------------------------------------- PDF

PDF_CSS = """
body { font-family: sans-serif; font-size: 10.5pt; line-height: 1.35; text-align: justify; }
h1 { font-size: 19pt; font-weight: bold; color: #1f4e5a; margin: 0 0 6pt 0; text-align: left; }
h2 { font-size: 14pt; font-weight: bold; color: #1f4e5a; margin: 14pt 0 4pt 0; text-align: left; }
h3 { font-size: 11.5pt; font-weight: bold; margin: 10pt 0 3pt 0; text-align: left; }
p { margin: 0 0 6pt 0; }
p.meta { font-size: 9.5pt; color: #444444; text-align: left; margin: 0 0 2pt 0; }
p.beslutning { font-weight: bold; }
ul { margin: 0 0 6pt 0; }
li { margin: 0 0 2pt 0; }
table { border-collapse: collapse; margin: 4pt 0 8pt 0; }
td, th { border: 0.5pt solid #777777; padding: 2pt 5pt; font-size: 9.5pt; text-align: left; }
th { background-color: #e4ecee; font-weight: bold; }
body.brochure p, body.brochure li { text-align: left; }
"""

# source file -> (output file, running header title, date for PDF metadata, text columns)
PDFS = {
    "byraadet_referat_2024-10-09.html": (
        "Byrådet_referat_2024-10-09.pdf",
        "Byrådet - referat 9. oktober 2024",
        dt.datetime(2024, 10, 10, 9, 0),
        1,
    ),
    "social-og-sundhedsudvalget_referat_2024-06-11.html": (
        "Social-og-Sundhedsudvalget_referat_2024-06-11.pdf",
        "Social- og Sundhedsudvalget - referat 11. juni 2024",
        dt.datetime(2024, 6, 12, 9, 0),
        1,
    ),
    "forslag_klimapolitik_2025-2030.html": (
        "Forslag-til-Klimapolitik-2025-2030_høring_2025-03-28.pdf",
        "Forslag til Klimapolitik 2025-2030 - i høring",
        dt.datetime(2025, 3, 28, 9, 0),
        2,  # brochure layout: two columns per page
    ),
}


def _pdf_date(moment: dt.datetime) -> str:
    return moment.strftime("D:%Y%m%d%H%M%S+01'00'")


def build_pdf(
    src: Path, target_name: str, header: str, moment: dt.datetime, columns: int = 1
) -> Path:
    html = src.read_text(encoding="utf-8")
    story = pymupdf.Story(html, user_css=PDF_CSS)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    mediabox = pymupdf.paper_rect("a4")
    margin_x, margin_top, margin_bottom, gap = 68, 82, 72, 18
    col_width = (mediabox.width - 2 * margin_x - gap * (columns - 1)) / columns
    frames = []
    for column in range(columns):
        x0 = margin_x + column * (col_width + gap)
        frames.append(pymupdf.Rect(x0, margin_top, x0 + col_width, mediabox.height - margin_bottom))
    more = True
    while more:
        device = writer.begin_page(mediabox)
        for frame in frames:
            more, _ = story.place(frame)
            story.draw(device)
            if not more:
                break
        writer.end_page()
    writer.close()

    # Second pass: running header and "Side N af M" footer now that M is known.
    doc = pymupdf.open("pdf", buffer.getvalue())
    total = doc.page_count
    width = mediabox.width
    for index, page in enumerate(doc):
        page.insert_text((68, 48), MUNICIPALITY, fontname="hebo", fontsize=10)
        x = width - 68 - pymupdf.get_text_length(header, fontname="helv", fontsize=8.5)
        page.insert_text((x, 48), header, fontname="helv", fontsize=8.5)
        page.draw_line((68, 56), (width - 68, 56), color=(0.12, 0.31, 0.35), width=0.6)
        label = f"Side {index + 1} af {total}"
        x = width - 68 - pymupdf.get_text_length(label, fontname="helv", fontsize=8.5)
        page.insert_text((x, mediabox.height - 40), label, fontname="helv", fontsize=8.5)
    stamp = _pdf_date(moment)
    doc.set_metadata(
        {
            "title": header,
            "author": MUNICIPALITY,
            "subject": header,
            "keywords": "Lindbæk Kommune, eksempeldokument",
            "creator": "examples/build.py",
            "producer": "PyMuPDF",
            "creationDate": stamp,
            "modDate": stamp,
        }
    )
    target = OUT / target_name
    doc.save(target, garbage=4, deflate=True, no_new_id=True)
    doc.close()
    return target


# --------------------------------------------------------------------------- DOCX


def _add_runs(paragraph, text: str) -> None:
    """Add ``text`` to ``paragraph``; segments wrapped in ``**`` become bold."""
    for index, segment in enumerate(text.split("**")):
        if segment:
            paragraph.add_run(segment).bold = index % 2 == 1


def build_docx(spec_path: Path) -> Path:
    spec = tomllib.loads(spec_path.read_text(encoding="utf-8"))
    document = docx.Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)

    # Letterhead: municipality, unit, then the Dato/Sagsnr./Kontakt block.
    head = document.add_paragraph()
    run = head.add_run(MUNICIPALITY.upper())
    run.bold = True
    run.font.size = Pt(16)
    run.font.color.rgb = RGBColor(0x1F, 0x4E, 0x5A)
    unit = document.add_paragraph(spec["enhed"])
    unit.runs[0].font.size = Pt(10)
    for label, value in spec["brevhoved"]:
        line = document.add_paragraph()
        line.paragraph_format.space_after = Pt(0)
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _add_runs(line, f"**{label}:** {value}")
    document.add_paragraph()

    for block in spec["blok"]:
        kind = block["type"]
        if kind == "h1":
            document.add_heading(block["tekst"], level=1)
        elif kind == "h2":
            document.add_heading(block["tekst"], level=2)
        elif kind == "p":
            _add_runs(document.add_paragraph(), block["tekst"])
        elif kind == "citat":
            _add_runs(document.add_paragraph(style="Quote"), block["tekst"])
        elif kind == "punkter":
            for entry in block["punkter"]:
                _add_runs(document.add_paragraph(style="List Bullet"), entry)
        elif kind == "tabel":
            rows = block["raekker"]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    cell.text = ""
                    _add_runs(cell.paragraphs[0], f"**{value}**" if r == 0 else value)
            document.add_paragraph()
        else:
            raise ValueError(f"{spec_path.name}: unknown block type {kind!r}")

    moment = dt.datetime.fromisoformat(spec["dato"])
    props = document.core_properties
    props.title = spec["titel"]
    props.author = spec["forfatter"]
    props.last_modified_by = spec["forfatter"]
    props.subject = spec.get("emne", "")
    props.keywords = "Lindbæk Kommune"
    props.created = moment
    props.modified = moment
    props.last_printed = moment
    props.revision = 1

    raw = io.BytesIO()
    document.save(raw)
    target = OUT / spec["fil"]
    _write_zip_deterministic(raw.getvalue(), target)
    return target


def _write_zip_deterministic(data: bytes, target: Path) -> None:
    """Rewrite a zip archive with fixed timestamps so repeated builds are identical."""
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(target, "w") as dest:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dest.writestr(fixed, source.read(info.filename))


# --------------------------------------------------------------------------- TXT / copies


def build_cp1252_txt(src: Path) -> Path:
    """Old referat exported from a Windows system: cp1252 and CRLF line endings."""
    text = src.read_text(encoding="utf-8")
    target = OUT / src.name
    target.write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
    return target


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir()
    built: list[Path] = []
    built += [build_portal_json(p) for p in sorted((SRC / "portal").glob("*.toml"))]
    for name, (target, header, moment, columns) in PDFS.items():
        built.append(build_pdf(SRC / "pdf" / name, target, header, moment, columns))
    built += [build_docx(p) for p in sorted((SRC / "docx").glob("*.toml"))]
    built += [build_cp1252_txt(p) for p in sorted((SRC / "txt").glob("*.txt"))]
    for pattern in ("html/*.html", "md/*.md"):
        for path in sorted(SRC.glob(pattern)):
            built.append(Path(shutil.copy2(path, OUT / path.name)))
    for path in built:
        print(f"{path.stat().st_size:>8}  {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
