"""What an HTML page is, apart from its content: its own description, its chrome, its root.

A page names its meeting in its title, its `<h1>`, its breadcrumb trail ("Forside › Teknisk
Udvalg › Referat 12-03-2025") and a meeting header; these are read before the chrome around the
content is removed (a site's menu names every committee, so it is never read). Chrome is removed
by its tags and class names, but never an element that holds the content: a page wrapped in one
`<form>` (ASP.NET portals), an article's own `<header>`, an item's header ("agenda-item-header").
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from danish.committees import first_committee
from danish.dates import parse_danish_date
from danish.sections import section_name
from ingest.items import parse_item_heading
from ingest.loaders.html_blocks import HEADING_MARK, HEADING_TAGS, inline_text

CHROME_TAGS = ["nav", "header", "footer", "aside", "form", "button", "menu", "dialog"]
CHROME_PATTERN = re.compile(
    r"(^|[\s_-])(nav|navbar|navigation|menu|breadcrumbs?|cookie\w*|consent|banner|footer|"
    r"header|sidebar|skip-link|share|social)($|[\s_-])",
    re.IGNORECASE,
)
_BREADCRUMB = re.compile(r"breadcrumb|br[øo]dkrumme|kruemme|crumbs", re.IGNORECASE)
_BREADCRUMB_SPLIT = re.compile(r"\s*[›»>/|]\s*|\s+-\s+")
# a meeting's own header: "meeting-header", "moede-info", "udvalg-navn", "dagsorden-meta"
_MEETING_MARK = re.compile(
    r"(meeting|m[øo]e?de|udvalg|committee|agenda|dagsorden|referat)[\w-]*"
    r"(header|info|meta|title|titel|details|heading|name|navn|date|dato)",
    re.IGNORECASE,
)
MAX_CUE_WORDS = 60
WRAPPER_SHARE = 0.5  # an element holding this share of the page's words holds the content


def page_cues(soup: BeautifulSoup) -> list[str]:
    """Lines in which the page describes itself: title, `og:title`, `<h1>`s, the breadcrumb
    trail's last steps and meeting headers, each once."""
    lines: list[str] = []
    if soup.title and (title := inline_text(soup.title)):
        lines.append(title)
    for meta in soup.find_all("meta", attrs={"property": "og:title"}):
        lines.append(" ".join(str(meta.get("content") or "").split()))
    lines += [inline_text(h) for h in soup.find_all("h1")]
    for tag in soup.find_all(True):
        if tag.attrs is None:
            continue
        marks = f"{_marks(tag)} {tag.get('aria-label') or ''}"
        if _BREADCRUMB.search(marks):
            # a trail runs from the site to the page: its deepest committee is the page's
            steps = [s for s in _BREADCRUMB_SPLIT.split(inline_text(tag)) if s]
            lines += [s for s in reversed(steps) if first_committee(s)][:1]
            lines.append(" – ".join(steps[-3:]))
        elif _MEETING_MARK.search(marks) and len(inline_text(tag).split()) <= MAX_CUE_WORDS:
            lines += _field_lines(tag) or [inline_text(tag)]
    return list(dict.fromkeys(line for line in lines if line))


def declared_url(soup: BeautifulSoup) -> str:
    """The address the page gives for itself: `<link rel="canonical">`, else `og:url`; as
    written (checked and encoded later: ingest/source_urls.py), "" when it gives none."""
    for link in soup.find_all("link", href=True):
        rel = link.get("rel") or []
        rels = rel if isinstance(rel, list) else str(rel).split()
        if "canonical" in (r.lower() for r in rels):
            return str(link["href"]).strip()
    for meta in soup.find_all("meta", attrs={"property": "og:url"}):
        if content := str(meta.get("content") or "").strip():
            return content
    return ""


def page_title(soup: BeautifulSoup) -> str:
    """The page's `<title>`, or its `<h1>` when only that names the meeting."""
    title = inline_text(soup.title) if soup.title else ""
    h1 = soup.find("h1")
    heading = inline_text(h1) if h1 else ""

    def named(text: str) -> bool:
        return bool(first_committee(text) or parse_danish_date(text))

    if heading and not named(title) and named(heading):
        return heading
    return title or heading


def mark_toggles(soup: BeautifulSoup) -> None:
    """A button that opens an agenda item (an accordion's toggle) holds its heading."""
    for button in soup.find_all("button"):
        if parse_item_heading(inline_text(button)) and not button.find_parent(["nav", "menu"]):
            button.name = "div"
            button[HEADING_MARK] = "1"


def remove_chrome(soup: BeautifulSoup) -> None:
    body = soup.body or soup
    page_words = len(inline_text(body).split())
    chrome = list(soup.find_all(CHROME_TAGS))
    chrome += soup.find_all(attrs={"role": re.compile("navigation|banner|contentinfo")})
    for tag in soup.find_all(True):
        if tag.attrs is None:
            continue
        marks = _marks(tag)
        if marks.strip() and CHROME_PATTERN.search(marks):
            chrome.append(tag)
    for tag in chrome:
        if tag.decomposed or tag.attrs is None or _holds_content(tag, page_words):
            continue
        tag.decompose()


def content_root(soup: BeautifulSoup) -> Tag:
    """The page's `<main>`, or its one `<article>`, else the body: a page of one article per
    item has them all read."""
    if main := soup.find("main"):
        return main
    articles = [a for a in soup.find_all("article") if not a.find_parent("article")]
    if len(articles) == 1:
        return articles[0]
    return soup.body or soup


def _holds_content(tag: Tag, page_words: int) -> bool:
    """Whether an element the chrome rules name holds the page's content after all."""
    if tag.name in ("nav", "menu", "button", "dialog"):
        return False
    marks = _marks(tag)
    if re.search(r"cookie|consent|breadcrumb|share|social|skip", marks, re.IGNORECASE):
        return False
    if tag.find(["main", "article"]):
        return True
    in_content = tag.find_parent(["main", "article"]) is not None
    if in_content and (tag.name == "header" or re.search("header", marks, re.IGNORECASE)):
        return True  # an article's or an item's own header
    titles = tag.find_all([*HEADING_TAGS, "summary"]) + tag.find_all(attrs={HEADING_MARK: True})
    for heading in titles:
        text = inline_text(heading)
        if parse_item_heading(text) or (in_content and section_name(text) is not None):
            return True
    words = len(inline_text(tag).split())
    return page_words > 0 and words >= WRAPPER_SHARE * page_words and words > 40


def _marks(tag: Tag) -> str:
    classes = tag.get("class") or []
    return " ".join([tag.get("id") or "", *(classes if isinstance(classes, list) else [classes])])


def _field_lines(tag: Tag) -> list[str]:
    """A meeting header's labelled fields as "Label: value" lines."""
    lines = []
    for dt in tag.find_all("dt"):
        dd = dt.find_next_sibling("dd")
        if dd is not None:
            lines.append(f"{inline_text(dt).rstrip(':')}: {inline_text(dd)}")
    return lines
