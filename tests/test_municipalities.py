"""Several municipalities on one Chroma server: a collection each, in a named database."""

from __future__ import annotations

import pytest

from ui.config import for_municipality, load_settings
from ui.factory import build_ingestor, build_retriever, index_folder
from vectorstore.chroma import open_client

NOTES = {
    "Greve": ("strand.txt", "Greve Strand får nye livreddertårne ved badebroen i sommer."),
    "Aarhus": ("vejstoej.txt", "Støjskærmen ved Ringgaden i Aarhus forlænges med 300 meter."),
}


def test_each_municipality_sees_only_its_own_documents(chroma_server, tmp_path, model_folder):
    base = load_settings(
        chroma_url=chroma_server,
        chroma_database="kommuner",
        municipalities={"Greve": "greve-passages", "Aarhus": "aarhus-passages"},
    )
    for name, (file, text) in NOTES.items():
        folder = tmp_path / name
        folder.mkdir()
        (folder / file).write_text(f"Notat\n\n{text}\n", encoding="utf-8")
        report = build_ingestor(for_municipality(base, name)).run([folder])
        assert report.passages == 1
    greve = build_retriever(for_municipality(base, "Greve"))
    aarhus = build_retriever(for_municipality(base, "Aarhus"))
    for retriever, own, other in ((greve, "livreddertårne", "Støjskærmen"),
                                  (aarhus, "Støjskærmen", "livreddertårne")):  # fmt: skip
        snapshot = retriever.snapshot()
        assert len(snapshot) == 1
        hits = retriever.retrieve(f"{own} {other}", k=5).hits
        assert [h.metadata.source for h in hits] and all(own in h.text for h in hits)
    assert index_folder(for_municipality(base, "Greve")) != index_folder(
        for_municipality(base, "Aarhus")
    )
    # the collections live in the named database, not in the server's default one
    names = {c.name for c in open_client(url=chroma_server, database="kommuner").list_collections()}
    assert {"greve-passages", "aarhus-passages"} <= names
    assert not open_client(url=chroma_server).list_collections()
    with pytest.raises(ValueError, match="Ukendt kommune"):
        for_municipality(base, "Roskilde")
