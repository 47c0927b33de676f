"""Links to the municipality's own page: a passage's `url` from a portal URL template, a mapping
file beside the documents or the page's canonical URL; never invented; stored, published in the
snapshot, and shown as a link on cards, in briefings and in `ask --json`."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import docx
import pytest

from assistant.answer import Answer, Citation
from assistant.briefing import Briefing
from ingest.pipeline import IngestOptions, Ingestor
from ingest.source_urls import TemplateError, check_template, fill_template
from tests.fakes import HashEmbedder
from tests.stores import snapshot_of
from ui.render import meta_html, url_markdown
from vectorstore.catalog import FileCatalog
from vectorstore.chroma import ChromaStore, open_client
from vectorstore.records import PassageMetadata, safe_url

TEMPLATE = "https://dagsordener.greve.dk/vis?id={meeting_id}&punkt={item_id}"
MEETING = "53f134cd-619a-47ff-a54f-81659951bff5"
ZERO = "00000000-0000-0000-0000-000000000000"
TEXT = (
    "<div><h3>Sagsfremstilling</h3><p>Kommunen har modtaget en ansøgung om tilskud til "
    "renovering af klubhuset ved idrætsparken, og forvaltningen har vurderet sagen.</p>"
    "<h3>Beslutning</h3><p>Godkendt som indstillet.</p></div>"
)


def portal_meeting(path: Path) -> Path:
    """A FirstAgenda/Prepare meeting file as the portal serves it: two items with ids."""
    data = {
        "Id": MEETING,
        "Udvalg": {"Navn": "Kultur- og Fritidsudvalget"},
        "Moede": {"Id": ZERO, "Dato": "2025-03-24T16:00:00+01:00", "Afsluttet": True},
        "Dagsordenpunkter": [
            {
                "Id": f"item-{n}",
                "AgendaUid": MEETING,
                "Navn": f"Tilskud til klubhus {n}",
                "Punktnummer": str(n),
                "SagsNummer": f"25-00012{n}",
                "Felter": [{"Html": TEXT.replace("klubhuset", f"klubhus nummer {n}")}],
            }
            for n in (1, 2)
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def note(path: Path, words: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Notat om {words}\n\n" + f"Forvaltningen beskriver {words} i detaljer. " * 8)
    return path


def page(path: Path, head: str) -> Path:
    path.write_text(
        f"<html><head><title>Referat – Teknisk Udvalg</title>{head}</head><body><main>"
        f"<h1>Referat</h1><p>Udvalget besluttede at asfaltere stien ved {path.stem} i foråret."
        "</p>"
        "</main></body></html>",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def chroma(tmp_path):
    """A real embedded Chroma store and its catalogue; words hashed instead of a model."""
    client = open_client(tmp_path / "store")
    return ChromaStore(client, HashEmbedder()), FileCatalog(client)


def stored(store):
    return [passage for passage, _ in store.iter_passages()]


def urls_by_source(store) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for passage in stored(store):
        out.setdefault(passage.metadata.source, set()).add(passage.metadata.url)
    return out


def urls_by_item(store) -> dict[str, str]:
    passages = stored(store)
    return {p.metadata.item_number: p.metadata.url for p in passages}


# -- where a URL comes from ----------------------------------------------------------------------


def test_portal_items_get_the_template_filled_from_their_ids(chroma, tmp_path):
    store, catalog = chroma
    meeting = portal_meeting(tmp_path / "docs" / "moede.json")
    report = Ingestor(store, catalog, IngestOptions(source_url_template=TEMPLATE)).run(
        [meeting.parent]
    )
    assert not report.failed
    assert urls_by_item(store) == {
        "1": f"https://dagsordener.greve.dk/vis?id={MEETING}&punkt=item-1",
        "2": f"https://dagsordener.greve.dk/vis?id={MEETING}&punkt=item-2",
    }


def test_template_values_are_encoded_and_a_missing_one_gives_no_url():
    meta = {"portal_meeting_id": "a b/c&d", "committee": "Byrådet"}
    filled = fill_template("https://x.dk/{committee}/vis?id={meeting_id}", meta)
    assert filled == "https://x.dk/Byr%C3%A5det/vis?id=a%20b%2Fc%26d"
    assert fill_template(TEMPLATE, meta) == ""  # no item id: no URL with a hole in it


def test_a_template_is_checked():
    assert check_template(TEMPLATE) == TEMPLATE
    for bad in ("javascript:alert({item_id})", "https://x.dk/{meeting}", "/vis?id={item_id}"):
        with pytest.raises(TemplateError):
            check_template(bad)


def test_mapping_file_beside_the_documents(chroma, tmp_path):
    store, catalog = chroma
    docs = tmp_path / "docs"
    note(docs / "a.txt", "vejbelysning")
    note(docs / "sub" / "b.txt", "cykelstier")
    note(docs / "c.txt", "skolebusser")
    (docs / "referent-urls.csv").write_text(
        "fil;url\n"
        "a.txt;https://www.kommune.dk/politik/a\n"
        "sub/b.txt;https://www.kommune.dk/politik/b (ny)\n"
        "c.txt;javascript:alert(1)\n"
        "../udenfor.txt;https://www.kommune.dk/udenfor\n",
        encoding="utf-8",
    )
    report = Ingestor(store, catalog).run([docs])
    results = {f.source: f for f in report.files}
    assert catalog.get("referent-urls.csv") is None  # read, never indexed
    assert results["referent-urls.csv"].status == "skipped"  # two rows left out, said so
    assert "2 række(r)" in results["referent-urls.csv"].reason
    assert urls_by_source(store) == {
        "a.txt": {"https://www.kommune.dk/politik/a"},
        "sub/b.txt": {"https://www.kommune.dk/politik/b%20%28ny%29"},
        "c.txt": {""},  # an unsafe URL is refused: no link at all
    }


def test_nearest_json_mapping_wins(chroma, tmp_path):
    store, catalog = chroma
    docs = tmp_path / "docs"
    note(docs / "sub" / "b.txt", "cykelstier")
    (docs / "referent-urls.json").write_text('{"sub/b.txt": "https://a.dk/fra-roden"}')
    (docs / "sub" / "referent-urls.json").write_text('{"b.txt": "https://a.dk/fra-mappen"}')
    Ingestor(store, catalog).run([docs])
    assert urls_by_source(store) == {"sub/b.txt": {"https://a.dk/fra-mappen"}}


def test_html_page_declares_its_own_url(chroma, tmp_path):
    store, catalog = chroma
    docs = tmp_path / "docs"
    docs.mkdir()
    page(docs / "canonical.html", '<link rel="canonical" href="https://www.kommune.dk/referat/1">')
    page(docs / "og.html", '<meta property="og:url" content="https://www.kommune.dk/referat/2">')
    page(docs / "relative.html", '<link rel="canonical" href="/referat/3">')
    page(docs / "unsafe.html", '<link rel="canonical" href="javascript:alert(1)">')
    Ingestor(store, catalog).run([docs])
    assert urls_by_source(store) == {
        "canonical.html": {"https://www.kommune.dk/referat/1"},
        "og.html": {"https://www.kommune.dk/referat/2"},
        "relative.html": {""},  # not resolved against a guessed site: none
        "unsafe.html": {""},
    }


def test_no_url_without_a_template_mapping_or_declaration(chroma, tmp_path):
    store, catalog = chroma
    docs = tmp_path / "docs"
    portal_meeting(docs / "moede.json")
    note(docs / "a.txt", "vejbelysning")
    page(docs / "side.html", "")
    Ingestor(store, catalog).run([docs])
    assert {url for urls in urls_by_source(store).values() for url in urls} == {""}


# -- stored, published, re-ingested --------------------------------------------------------------


def test_url_round_trips_through_chroma_and_the_snapshot(chroma, tmp_path):
    store, catalog = chroma
    meeting = portal_meeting(tmp_path / "docs" / "moede.json")
    Ingestor(store, catalog, IngestOptions(source_url_template=TEMPLATE)).run([meeting])
    ids = [p.chunk_id for p in stored(store)]
    in_store = {p.chunk_id: p.metadata.url for p in store.get(ids)}
    snapshot = snapshot_of(store, tmp_path / "index")
    in_snapshot = {p.chunk_id: p.metadata.url for p in snapshot.get(ids)}
    assert in_snapshot == in_store and all(in_store.values())


def test_a_stored_unsafe_url_is_not_read_back():
    meta = PassageMetadata.from_chroma({"url": "javascript:alert(1)", "access": "public"})
    assert meta.url == ""
    assert PassageMetadata.from_chroma({"access": "public"}).url == ""  # stores from before


def test_a_mapping_change_reaches_the_passages_without_embedding(chroma, tmp_path):
    store, catalog = chroma
    docs = tmp_path / "docs"
    note(docs / "a.txt", "vejbelysning")
    portal_meeting(docs / "moede.json")
    mapping = docs / "referent-urls.csv"
    mapping.write_text("fil,url\na.txt,https://a.dk/gammel\n")
    first = Ingestor(store, catalog).run([docs])
    assert first.passages_embedded > 0
    assert urls_by_source(store)["a.txt"] == {"https://a.dk/gammel"}

    mapping.write_text("fil,url\na.txt,https://a.dk/ny\n")
    second = Ingestor(store, catalog).run([docs])
    statuses = {f.source: f.status for f in second.files}
    assert statuses == {"a.txt": "updated", "moede.json": "unchanged"}
    assert second.passages_embedded == 0
    assert urls_by_source(store)["a.txt"] == {"https://a.dk/ny"}

    # a template set later reaches the portal items; the mapping's file is untouched
    third = Ingestor(store, catalog, IngestOptions(source_url_template=TEMPLATE)).run([docs])
    assert {f.source: f.status for f in third.files} == {
        "a.txt": "unchanged",
        "moede.json": "updated",
    }
    assert third.passages_embedded == 0
    portal = urls_by_source(store)["moede.json"]
    assert len(portal) == 2 and all(u.startswith("https://dagsordener.greve.dk/") for u in portal)

    mapping.unlink()  # no mapping any more: no URL any more
    fourth = Ingestor(store, catalog, IngestOptions(source_url_template=TEMPLATE)).run([docs])
    assert fourth.passages_embedded == 0
    assert urls_by_source(store)["a.txt"] == {""}


# -- shown as a link -----------------------------------------------------------------------------


def citation(url: str) -> Citation:
    return Citation(
        n=1, chunk_id="c1", source="moede.json", quote="Godkendt som indstillet.",
        text="Godkendt som indstillet.", title="Tilskud til klubhus", committee="Byrådet",
        meeting_date="2025-03-24", item_number="7", url=url,
    )  # fmt: skip


def test_card_links_to_the_page():
    url = f"https://dagsordener.greve.dk/vis?id={MEETING}&punkt=item-1"
    html = meta_html(citation(url))
    assert f'href="https://dagsordener.greve.dk/vis?id={MEETING}&amp;punkt=item-1"' in html
    assert 'target="_blank" rel="noopener noreferrer"' in html
    assert "href" not in meta_html(citation(""))  # no URL: no link


def test_unsafe_urls_are_refused_everywhere():
    for bad in ("javascript:alert(1)", "data:text/html,<b>x</b>", "vbscript:x", "//evil.dk/x"):
        assert safe_url(bad) == ""
        assert "href" not in meta_html(citation(bad))
        assert url_markdown(bad) == ""
        brief = Briefing()
        brief.add(citation(bad))
        assert "kommunens side" not in brief.to_markdown()
    # quotes and brackets cannot end the attribute or the link
    tricky = 'https://a.dk/x"onmouseover="alert(1)<>)'
    assert '"onmouseover' not in meta_html(citation(tricky))
    assert (
        url_markdown(tricky)
        == "[Se på kommunens side](<https://a.dk/x%22onmouseover=%22alert%281%29%3C%3E%29>)"
    )


def test_briefing_references_link_to_the_page(tmp_path):
    url = "https://dagsordener.greve.dk/vis?id=m&punkt=i"
    brief = Briefing(title="Klubhus")
    brief.add(citation(url))
    brief.add(replace(citation(""), chunk_id="c2"))
    markdown = brief.to_markdown()
    assert f"[Se på kommunens side](<{url}>)" in markdown
    assert markdown.count("kommunens side") == 1  # the source without a URL has no link

    document = docx.Document(io.BytesIO(brief.docx_bytes()))
    links = [
        rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")
    ]
    assert links == [url]
    xml = document.element.xml
    assert "w:hyperlink" in xml and "Se på kommunens side" in xml


def test_ask_json_carries_the_url():
    url = "https://dagsordener.greve.dk/vis?id=m&punkt=i"
    data = Answer(question="?", text="Godkendt [1].", citations=[citation(url)]).to_dict()
    assert data["citations"][0]["url"] == url
    assert json.loads(json.dumps(data))["citations"][0]["url"] == url


def test_a_file_ingested_on_its_own_keeps_its_folders_mapping(chroma, tmp_path):
    store, catalog = chroma
    docs = tmp_path / "docs"
    single = note(docs / "a.txt", "vejbelysning")
    (docs / "referent-urls.csv").write_text("a.txt,https://a.dk/a\n")  # no header row
    Ingestor(store, catalog).run([single])
    assert urls_by_source(store) == {"a.txt": {"https://a.dk/a"}}
