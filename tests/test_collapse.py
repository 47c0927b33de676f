"""Collapsing repeated passages: copies through committees, and boilerplate that is not a copy."""

from vectorstore.collapse import collapse_duplicates
from vectorstore.records import Hit, PassageMetadata

CASE_TEXT = (
    "Administrationen har i efteråret 2024 gennemført en energiscreening af kommunens fem "
    "folkeskoler. Screeningen viser, at skolerne bruger mere varme end nødvendigt, samtidig med "
    "at mange klasselokaler er for kolde ved skoledagens start."
)


def hit(chunk_id, text, committee, date_ordinal, case="24-018452", score=0.1, content_hash=""):
    meta = PassageMetadata(
        source=f"{committee}.json", committee=committee, date_ordinal=date_ordinal,
        case_number=case, content_hash=content_hash or chunk_id, chunk_id=chunk_id,
    )  # fmt: skip
    return Hit(chunk_id, text, meta, score)


def test_a_case_text_with_a_line_added_is_one_result_from_the_latest_meeting():
    hits = [
        hit("a", CASE_TEXT, "Økonomiudvalget", 2, score=0.3),
        hit("b", "Noget helt andet om vejbelysning og gadelys i kommunen i år.", "Teknik", 1),
        hit("c", CASE_TEXT + " Supplerende sag: Byrådet får sagen.", "Byrådet", 3, score=0.2),
    ]
    out = collapse_duplicates(hits)
    assert [h.chunk_id for h in out] == ["c", "b"]
    assert out[0].score == 0.3, "the group keeps its best score"
    assert [a["committee"] for a in out[0].also_in] == ["Økonomiudvalget"]


def test_boilerplate_repeats_only_within_one_case():
    hits = [
        hit("a", "Godkendt.", "Byrådet", 3, case="24-1", content_hash="same"),
        hit("b", "Godkendt.", "Byrådet", 3, case="24-2", content_hash="same"),
        hit("c", "Godkendt.", "Økonomiudvalget", 2, case="24-1", content_hash="same"),
    ]
    out = collapse_duplicates(hits)
    assert [h.chunk_id for h in out] == ["a", "b"]
    assert [a["chunk_id"] for a in out[0].also_in] == ["c"]


def test_k_limits_results_but_never_below_k_when_there_are_more():
    hits = [hit(str(i), f"{CASE_TEXT} {i}", "Byrådet", 1) for i in range(12)]
    hits += [hit(f"x{i}", f"Et andet emne nummer {i} om skoler, veje og idræt.", "T", 1, case="")
             for i in range(4)]  # fmt: skip
    out = collapse_duplicates(hits, k=3)
    # the twelve case copies are one result (the first: all are equal in date and score),
    # listing the other eleven; the short texts are not copies of anything
    assert [h.chunk_id for h in out] == ["0", "x0", "x1"]
    assert [a["chunk_id"] for a in out[0].also_in] == [str(i) for i in range(1, 12)]
    assert {a["committee"] for a in out[0].also_in} == {"Byrådet"}
    assert out[1].also_in == [] and out[2].also_in == []
