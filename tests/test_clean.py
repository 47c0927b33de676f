from ingest.clean import (
    clean_blocks,
    furniture_keys,
    is_page_label,
    join_lines,
    normalize_text,
)
from ingest.document import Block


def test_line_end_hyphenation_is_undone():
    assert join_lines("et oplæg til drøf-\ntelse af politikken") == (
        "et oplæg til drøftelse af politikken"
    )


def test_real_hyphens_are_kept():
    text = "VVM-\nscreening og P-\nhuse samt ikke-\netnisk og aktive-ring midt i linjen"
    assert (
        join_lines(text) == "VVM-screening og P-huse samt ikke-etnisk og aktive-ring midt i linjen"
    )


def test_document_vocabulary_keeps_a_hyphen_the_document_uses():
    vocab = {"skole-hjem"}
    assert join_lines("samarbejdet skole-\nhjem", vocab) == "samarbejdet skole-hjem"


def test_normalize_removes_soft_hyphens_and_odd_spaces():
    assert normalize_text("drøf\u00adtelse\u00a0af  e\u0301n\r\n") == "drøftelse af én\n"
    assert normalize_text("\ufb01nansieres") == "finansieres"


def test_page_labels():
    assert all(is_page_label(x) for x in ["Side 2", "Side 1 af 4", "side 3/9", "12", "- 4 -"])
    assert not any(is_page_label(x) for x in ["Side om side", "2 mio. kr.", "Sidebemærkning"])


def test_running_headers_repeated_on_most_pages_are_found():
    pages = [
        [
            "Aarhus Kommune",
            f"13. april 2023 Side {n} af 5",
            ["første", "anden", "tredje", "fjerde", "femte"][n],
        ]
        for n in range(5)
    ]
    keys = furniture_keys(pages)
    assert "aarhus kommune" in keys
    assert "#. april # side # af #" in keys
    assert not any(k.startswith("unik") for k in keys)


def test_clean_blocks_drops_empty_and_page_label_blocks():
    blocks = [Block("Side 2 af 9"), Block("  "), Block("Tekst med bin-\nding", page=2)]
    cleaned = clean_blocks(blocks)
    assert [b.text for b in cleaned] == ["Tekst med binding"]
    assert cleaned[0].page == 2
