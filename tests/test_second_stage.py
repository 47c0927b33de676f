"""The second stage of ranking: the best first-stage passages rescored by their best sentence.

On a small in-memory snapshot with stand-in sentence vectors, so the rule is tested exactly: a
passage whose one sentence says what was asked overtakes one ranked higher for its words."""

import numpy as np

from tests.small_snapshot import passage, small_snapshot
from vectorstore.rescore import best_sentence_cosines, by_best_sentence, statement_keys
from vectorstore.sentences import passage_sentences, sentence_key


def unit(i: int) -> np.ndarray:
    v = np.zeros(8, dtype=np.float32)
    v[i] = 1.0
    return v


GENERAL = passage(
    "a1",
    "Skolernes varme er drøftet mange gange i udvalget. Varmen i skolerne er en sag for alle.",
    doc="a",
)
SPECIFIC = passage(
    "b1",
    "Sagen blev behandlet i foråret. Den nye varmestyring koster 2,4 mio. kr. i anlæg.",
    doc="b",
)
OTHER = passage("c1", "Vejene saltes fra klokken fem om morgenen i vinterhalvåret.", doc="c")


def ranked(scores=(0.03, 0.02, 0.01)):
    hits = [GENERAL, SPECIFIC, OTHER]
    for hit, score in zip(hits, scores, strict=True):
        hit.score = score
        hit.sentence_score = None
    return hits


def vectors(close: str) -> dict[str, np.ndarray]:
    """Every statement far from the question (axis 1) except `close` (axis 0, the question's)."""
    out = {}
    for hit in (GENERAL, SPECIFIC, OTHER):
        for key in statement_keys(hit):
            out[key] = unit(1)
    out[sentence_key(close)] = unit(0)
    return out


def test_a_passage_whose_sentence_says_it_overtakes_one_ranked_higher_for_its_words(tmp_path):
    close = "Den nye varmestyring koster 2,4 mio. kr. i anlæg."
    index = small_snapshot(tmp_path / "s", [GENERAL, SPECIFIC, OTHER], vectors(close))
    hits = by_best_sentence(ranked(), unit(0), index, weight=1.0)
    assert [h.chunk_id for h in hits] == ["b1", "a1", "c1"]
    assert hits[0].sentence_score == 1.0 and hits[1].sentence_score == 0.0
    assert hits[0].score == 0.02, "the first stage's score is kept, the order changes"


def test_a_small_weight_leaves_a_clearly_better_first_stage_in_front(tmp_path):
    close = "Den nye varmestyring koster 2,4 mio. kr. i anlæg."
    index = small_snapshot(tmp_path / "s", [GENERAL, SPECIFIC, OTHER], vectors(close))
    # first stage: a1 far ahead (1.0 after scaling), b1 at 0.1; the sentence adds 0.5 × 1.0
    hits = by_best_sentence(ranked((0.1, 0.019, 0.01)), unit(0), index, weight=0.5)
    assert [h.chunk_id for h in hits] == ["a1", "b1", "c1"]


def test_without_sentence_vectors_the_first_stage_order_stands(tmp_path):
    index = small_snapshot(tmp_path / "s", [GENERAL, SPECIFIC, OTHER])
    hits = by_best_sentence(ranked(), unit(0), index, weight=1.0)
    assert [h.chunk_id for h in hits] == ["a1", "b1", "c1"]
    assert all(h.sentence_score is None for h in hits)
    assert np.isnan(best_sentence_cosines(hits, unit(0), index)).all()


def test_title_like_lines_do_not_speak_for_a_passage():
    hit = passage("h1", "Varmestyring i skolerne\nSagen blev behandlet i foråret.", doc="h")
    keys = statement_keys(hit)
    assert ("", "Varmestyring i skolerne") in passage_sentences(hit.text, "")  # a candidate
    assert sentence_key("Sagen blev behandlet i foråret.") in keys
    assert sentence_key("Varmestyring i skolerne") not in keys


def test_a_passage_of_one_statement_is_judged_by_its_own_vector_too(tmp_path):
    # an item whose text is its formal decision, found by its title: its one sentence is far
    # from the question, its passage vector (title and section embedded) is close
    item = passage("t1", "Anbefales over for Byrådet.", doc="t", title="Salg af erhvervsgrund")
    close = "Den nye varmestyring koster 2,4 mio. kr. i anlæg."
    sentences = vectors(close) | {k: unit(1) for k in statement_keys(item)}
    index = small_snapshot(tmp_path / "s", [GENERAL, SPECIFIC, item], sentences)
    general, specific, _ = ranked((0.03, 0.02, 0.01))
    item.score, item.dense_score = 0.025, 0.93
    out = by_best_sentence([general, item, specific], unit(0), index, weight=1.0)
    # by its sentence alone it would fall behind both (0.5 + 0 against 1 + 0 and 0 + 1)
    assert [h.chunk_id for h in out] == ["t1", "a1", "b1"]
    assert abs(out[0].sentence_score - 0.93) < 1e-6
    # a passage of several statements is judged by its sentences alone
    GENERAL.dense_score = 0.99
    try:
        assert best_sentence_cosines([GENERAL], unit(0), index)[0] == 0.0
    finally:
        GENERAL.dense_score = None
