"""The public page of a source: where a citation links to. Never invented.

A passage gets a URL from one of three places, the first that gives one:
1. portal JSON: the collection's URL template (`IngestOptions.source_url_template`) filled
   from the meeting's and the item's ids, e.g. the FirstAgenda/Prepare pattern
   `https://dagsordener.greve.dk/vis?id={meeting_id}&punkt={item_id}`;
2. a mapping file beside the documents (`referent-urls.csv` with `fil,url` rows, or
   `referent-urls.json` with {"fil": "url"}): file names relative to the mapping file's folder;
   the nearest mapping file above a file decides;
3. an HTML page's own declaration: `<link rel="canonical">`, else `<meta property="og:url">`.
Without any of them a passage has no URL. Every URL is checked (`safe_url`: absolute http or
https only) and percent-encoded; a template's values are encoded as one path or query value.

What gives a file its URL is part of its processing fingerprint (`url_key`), so a changed
template or mapping reaches the file's passages on the next ingest; the embedded text holds no
URL, so their vectors are reused.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import string
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from referent_errors import ReferentError
from vectorstore.records import safe_url

MAPPING_NAMES = ("referent-urls.csv", "referent-urls.json")
FILE_COLUMNS = ("fil", "file", "filnavn", "filename")
URL_COLUMNS = ("url", "link", "adresse")
# the placeholders a template may use, filled from a portal item (ingest/loaders/portal_json)
TEMPLATE_FIELDS = {
    "meeting_id": "the meeting's id (the file's `Id`, or the items' `AgendaUid`)",
    "item_id": "the agenda item's `Id`",
    "item_number": "the item's number (`Punktnummer`/`Number`)",
    "case_number": "the item's case number (`SagsNummer`)",
    "committee": "the committee's name (`Udvalg.Navn`)",
    "meeting_date": "the meeting's date, ISO (2025-03-24)",
}
PORTAL_FIELDS = {  # placeholder → the document metadata key the portal loader sets
    "meeting_id": "portal_meeting_id",
    "item_id": "portal_item_id",
    "item_number": "item_number",
    "case_number": "case_number",
    "committee": "committee",
    "meeting_date": "meeting_date",
}


class TemplateError(ReferentError, ValueError):
    """A URL template that cannot give a safe address: `user_message` says why, in Danish."""

    technical_message = "The source URL template is not valid"
    user_message = "URL-skabelonen for kildernes sider er ugyldig."


def check_template(template: str) -> str:
    """The template as given, when its placeholders are known and it makes an http(s) URL."""
    template = template.strip()
    if not template:
        return ""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise TemplateError(
            f"Cannot parse the URL template: {exc}",
            user_message=f"skabelonen kan ikke læses ({exc})",
        ) from None
    unknown = [n for n in names if n not in TEMPLATE_FIELDS]
    if unknown:
        known = ", ".join("{" + n + "}" for n in TEMPLATE_FIELDS)
        raise TemplateError(
            f"Unknown placeholder {{{unknown[0]}}} in the URL template",
            user_message=f"ukendt felt {{{unknown[0]}}} i skabelonen; kendte felter: {known}",
        )
    if not safe_url(template.format(**{n: "x" for n in TEMPLATE_FIELDS})):
        raise TemplateError(
            "The URL template does not make an http or https address",
            user_message="skabelonen giver ikke en http- eller https-adresse",
        )
    return template


def fill_template(template: str, metadata: Mapping[str, object]) -> str:
    """The template filled from a portal item's metadata; "" when a field it uses is unknown
    (a URL with a hole in it would lead somewhere else)."""
    if not template:
        return ""
    try:
        names = {n for _, n, _, _ in string.Formatter().parse(template) if n is not None}
    except ValueError:
        return ""
    values: dict[str, str] = {}
    for name in names:
        value = str(metadata.get(PORTAL_FIELDS.get(name, name)) or "").strip()
        if not value:
            return ""
        values[name] = quote(value, safe="")
    try:
        return safe_url(template.format(**values))
    except (KeyError, IndexError, ValueError):
        return ""


@dataclass
class MappingProblem:
    source: str  # the mapping file, as the report names it
    reason: str  # Danish
    failed: bool  # the whole file could not be read (else: some rows were left out)


@dataclass
class SourceUrls:
    """The mapping files of one run, read once: the URL each file is mapped to."""

    by_path: dict[Path, str] = field(default_factory=dict)
    problems: list[MappingProblem] = field(default_factory=list)

    def url_for(self, path: Path) -> str:
        return self.by_path.get(_resolved(path), "")


def is_mapping_file(path: Path) -> bool:
    return path.name.lower() in MAPPING_NAMES


def read_mappings(files: Iterable[tuple[Path, str, Path]]) -> SourceUrls:
    """The URLs the mapping files give for a run's (path, source, root) files, the nearest
    one deciding: a file's own folder's mapping over its parents'. The mapping files are those
    among the files and those in a file's folder or above it up to its root (a file ingested
    on its own keeps the URL its folder's mapping gives it)."""
    out = SourceUrls()
    found: dict[Path, tuple[Path, str]] = {}
    folders: set[Path] = set()
    for path, source, root in files:
        if is_mapping_file(path):
            found.setdefault(_resolved(path), (path, source))
            continue
        folder, top = _resolved(path).parent, _resolved(root)
        while folder not in folders and (folder == top or folder.is_relative_to(top)):
            folders.add(folder)
            if folder == top or folder.parent == folder:
                break
            folder = folder.parent
    for folder in folders:
        for name in MAPPING_NAMES:
            if (folder / name).is_file():
                found.setdefault(folder / name, (folder / name, str(folder / name)))
    mappings = sorted(
        found.values(), key=lambda pair: len(_resolved(pair[0]).parts)
    )  # parents first, so that nearer ones override
    for path, source in mappings:
        try:
            rows = _rows(path)
        except (OSError, UnicodeDecodeError, ValueError, csv.Error) as exc:
            reason = f"Listen over kildernes adresser kunne ikke læses ({exc})."[:300]
            out.problems.append(MappingProblem(source, reason, failed=True))
            continue
        folder = _resolved(path).parent
        bad: list[str] = []
        for name, url in rows:
            target = _target(folder, name)
            checked = safe_url(url)
            if target is None or not checked:
                bad.append(name or "(tomt filnavn)")
                continue
            out.by_path[target] = checked
        if bad:
            reason = (
                f"{len(bad)} række(r) udeladt (filnavn uden for mappen eller adresse, der ikke "
                f"er http/https): {', '.join(bad[:3])}"
            )
            out.problems.append(MappingProblem(source, reason, failed=False))
    return out


def url_key(path: Path, template: str, mapped: str, portal: bool | None = None) -> str:
    """A short digest of what gives this file its URL ("" when nothing can): the template for
    portal JSON, the mapped URL, the HTML declaration (in the file's bytes; marked so that files
    processed before URLs were read are read once more)."""
    suffix = path.suffix.lower()
    parts = []
    if suffix == ".json" and template:
        parts.append(f"t={template}")
    if mapped:
        parts.append(f"m={mapped}")
    if suffix in (".html", ".htm"):
        parts.append("h")
    if not parts:
        return ""
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=6).hexdigest()


def choose_url(template_url: str, mapped: str, declared: object) -> str:
    """Template (portal items, the most specific), then the mapping, then what the page
    declares; each checked."""
    for candidate in (template_url, mapped, declared):
        if url := safe_url(candidate):
            return url
    return ""


# -- reading mapping files ---------------------------------------------------------------------


def _rows(path: Path) -> list[tuple[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("JSON-filen skal være et objekt {filnavn: url}")
        return [(str(k), str(v)) for k, v in data.items()]
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    file_col = next((header.index(c) for c in FILE_COLUMNS if c in header), None)
    url_col = next((header.index(c) for c in URL_COLUMNS if c in header), None)
    if file_col is None or url_col is None:  # no header: file name, then URL
        file_col, url_col, body = 0, 1, rows
    else:
        body = rows[1:]
    return [
        (row[file_col].strip(), row[url_col].strip())
        for row in body
        if len(row) > max(file_col, url_col)
    ]


def _target(folder: Path, name: str) -> Path | None:
    """The file a mapping row names, inside the mapping file's folder; None outside it."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/")).strip()
    relative = PurePosixPath(name)
    if not name or relative.is_absolute() or ".." in relative.parts:
        return None
    return _resolved(folder / relative)


def _resolved(path: Path) -> Path:
    text = unicodedata.normalize("NFC", str(path.absolute()))
    return Path(text)
