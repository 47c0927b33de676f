"""Safe, forgiving XML parsing for publication exports.

Exports are written by case systems, not by XML tools: eDoc writes form feeds as `&#xC;`,
which XML 1.0 forbids, so a strict parser rejects the whole meeting for one page break. Such
control characters become line breaks or spaces before parsing. Nothing is ever fetched or
expanded: no DTD, no external or internal entities, no network (a hostile export cannot read
a file of the server or blow up in memory).
"""

from __future__ import annotations

import re

from lxml import etree

from ingest.errors import CorruptFile

# character references and raw bytes XML 1.0 forbids (all C0 controls but tab, LF and CR)
_BAD_REF = re.compile(
    rb"&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));"
)
_BAD_BYTE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def parse_xml(data: bytes) -> etree._Element:
    """The root element, namespaces dropped from tag names; `CorruptFile` when not XML."""
    if not data.startswith(_UTF16_BOMS):  # byte patterns hold for ASCII-compatible encodings
        data = _BAD_BYTE.sub(_replacement, _BAD_REF.sub(_replacement, data))
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise CorruptFile(f"ugyldig XML: {str(exc)[:120]}") from exc
    if root is None:
        raise CorruptFile("ugyldig XML: intet rodelement")
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]
    return root


def _replacement(match: re.Match[bytes]) -> bytes:
    """A page or line break (form feed, vertical tab) becomes a line break, the rest a space."""
    found = match.group(0)
    if found.startswith(b"&#"):
        digits = found[2:-1]
        code = int(digits[1:], 16) if digits[:1] in (b"x", b"X") else int(digits)
    else:
        code = found[0]
    return b"\n" if code in (0x0B, 0x0C) else b" "


def child_text(element: etree._Element | None, path: str) -> str:
    """Text of the first element at `path` below `element`, trimmed; "" when absent."""
    if element is None:
        return ""
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""
