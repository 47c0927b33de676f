"""Incremental snapshots: an ingest adds a segment and deletion lists instead of rebuilding,
every search over several segments gives what one segment of the same passages gives (BM25
statistics combined over segments, deleted rows left out everywhere), and merges fold segments
into one, in the background and under the writer lock."""

from __future__ import annotations

import signal
import subprocess
import sys

import numpy as np
import pytest

from ingest import sentence_index
from ingest.report import IngestReport
from tests.conftest import ROOT
from tests.fakes import HashEmbedder
from vectorstore import snapshots as snapshots_module
from vectorstore.filters import SearchFilters
from vectorstore.journal import ChangeJournal
from vectorstore.memory import MemoryStore
from vectorstore.records import Passage, PassageMetadata
from vectorstore.snapshots import SnapshotPublisher, SnapshotReader, current_name, merge_plan

WORDS = [
    "vej",
    "budget",
    "skole",
    "cykelsti",
    "varme",
    "klasselokale",
    "affald",
    "bibliotek",
    "legeplads",
    "byråd",
    "udvalg",
    "lokalplan",
    "trafik",
    "støj",
    "børnehave",
    "ældrepleje",
]
COMMITTEES = ("Byrådet", "Teknisk Udvalg", "Børne- og Skoleudvalget")
QUERIES = ["budget for skole", "støj fra trafik på vej", "ældrepleje og børnehave",
           "lokalplan", "cykelsti ved skole budget budget"]  # fmt: skip


def passage(i: int, version: int = 0) -> Passage:
    rng = np.random.default_rng(i * 31 + version)
    words = " ".join(rng.choice(WORDS, size=int(rng.integers(4, 14))))
    text = f"Punkt {i} version {version}: {words}."
    m = PassageMetadata(
        source=f"doc{i % 9}.txt", chunk_id=f"p{i:05d}", doc_id=f"d{i % 9}", chunk_index=i,
        committee=COMMITTEES[i % 9 % 3], access="public" if i % 4 else "internal",
        date_ordinal=738000 + i % 9, case_number=f"{i % 5:02d}.00.00",
    )  # fmt: skip
    return Passage(text=text, embed_text=text, metadata=m)


def write(store: MemoryStore, items: list[Passage]) -> None:
    store.upsert(items, store.embedder.embed_passages([p.embed_text for p in items]))
    sentence_index.complete(store, IngestReport(), swept=False)


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore(HashEmbedder(32))
    write(store, [passage(i) for i in range(60)])
    return store


def rebuilt(store: MemoryStore, folder):
    """The same store as one segment, written from scratch (what `referent index` gives)."""
    SnapshotPublisher(store, folder).publish()
    return SnapshotReader(folder).current()


def assert_same_results(multi, single) -> None:
    assert len(multi) == len(single)
    vector = np.ones(32, dtype=np.float32) / np.sqrt(32)
    for access in ("public", "internal"):
        for filters in (SearchFilters(access=access),
                        SearchFilters(access=access, committee="Teknisk Udvalg"),
                        SearchFilters(access=access, case_number="02.00.00")):  # fmt: skip
            a, b = multi.resolve(filters).keep, single.resolve(filters).keep
            assert sorted(multi.select(a)) == sorted(single.select(b))
            for query in QUERIES:
                got, want = multi.bm25_search(query, 20, a), single.bm25_search(query, 20, b)
                assert [c for c, _ in got] == [c for c, _ in want]
                assert np.allclose([s for _, s in got], [s for _, s in want], atol=1e-5)
            got, want = multi.dense_search(vector, 15, a), single.dense_search(vector, 15, b)
            assert [c for c, _ in got] == [c for c, _ in want]  # float32 products: same to 1e-6
            assert np.allclose([s for _, s in got], [s for _, s in want], atol=1e-6)
        assert multi.summary(access) == single.summary(access)
    for token in ("budget", "skol", "ukendtord"):
        assert multi.doc_freq(token) == single.doc_freq(token)
        assert multi.idf(token) == pytest.approx(single.idf(token))
    ids = [f"p{i:05d}" for i in range(80)]
    assert [(p.chunk_id, p.text) for p in multi.get(ids)] == [
        (p.chunk_id, p.text) for p in single.get(ids)
    ]


def test_an_update_writes_one_segment_and_deletions_without_reading_the_store(
    store, tmp_path, monkeypatch
):
    root = tmp_path / "index"
    publisher = SnapshotPublisher(store, root)
    publisher.publish()
    base = SnapshotReader(root)
    first = base.current()
    write(store, [passage(i) for i in range(60, 65)] + [passage(3, 1), passage(7, 1)])
    store.delete_ids(["p00010", "p00011"])
    assert set(ChangeJournal(root).ids()) == {
        *(f"p{i:05d}" for i in range(60, 65)),
        "p00003",
        "p00007",
        "p00010",
        "p00011",
    }  # noted before the store wrote them

    def no_full_read(*args, **kwargs):
        raise AssertionError("an update must not read the whole store")

    monkeypatch.setattr(store, "iter_passages", no_full_read)
    assert publisher.publish_if_stale()
    snap = base.current()
    segments = snap.manifest["segments"]
    assert [s["rows"] for s in segments] == [60, 7] and segments[0]["deleted"] == 4
    assert segments[1]["deleted"] == 0 and len(snap) == store.count() == 63
    assert snap.segments[0] is first.segments[0], "the reader maps a shared segment once"
    assert ChangeJournal(root).ids() == []
    assert snap.get(["p00010"]) == [] and "version 1" in snap.get(["p00003"])[0].text
    monkeypatch.undo()
    assert_same_results(snap, rebuilt(store, tmp_path / "single"))


def test_merges_fold_segments_and_score_the_same(store, tmp_path, monkeypatch):
    monkeypatch.setattr(snapshots_module, "MAX_SMALL", 3)
    monkeypatch.setattr(snapshots_module, "SMALL_SHARE", 10.0)
    root = tmp_path / "index"
    publisher = SnapshotPublisher(store, root)
    publisher.publish()
    for round_ in range(4):  # four small segments, each replacing a few rows of the others
        write(store, [passage(60 + round_), passage(round_ * 5, round_ + 1)])
        store.delete_ids([f"p{40 + round_:05d}"])
        publisher.publish_if_stale()
    snap = SnapshotReader(root).current()
    assert len(snap.manifest["segments"]) == 5 and merge_plan(snap.manifest) == (1, 5)
    assert_same_results(snap, rebuilt(store, tmp_path / "single-1"))
    assert publisher.merge()  # the small ones only: the first segment is not rewritten
    merged = SnapshotReader(root).current()
    assert merged.manifest["segments"][0]["name"] == snap.segments[0].name
    assert len(merged.manifest["segments"]) == 2 and merge_plan(merged.manifest) is None
    assert_same_results(merged, rebuilt(store, tmp_path / "single-2"))
    store.delete_ids([f"p{i:05d}" for i in range(12, 30)])  # past DELETED_SHARE
    publisher.publish_if_stale()
    assert merge_plan(SnapshotReader(root).current().manifest) == (0, 2)
    assert publisher.merge()
    whole = SnapshotReader(root).current()
    assert [s["deleted"] for s in whole.manifest["segments"]] == [0] and len(whole) == 42
    assert_same_results(whole, rebuilt(store, tmp_path / "single-3"))
    assert publisher.merge() is None  # nothing due


def test_a_merge_in_the_background_waits_for_the_writer_and_readers_go_on(store, tmp_path):
    root = tmp_path / "index"
    publisher = SnapshotPublisher(store, root)
    publisher.publish()
    reader = SnapshotReader(root)
    with publisher.locked():  # an ingest holding the lock
        write(store, [passage(i, 2) for i in range(0, 25)])  # deleted rows past DELETED_SHARE
        publisher.publish_if_stale()
        before = reader.current()
        thread = publisher.merge_soon()
        assert thread is not None and thread.is_alive()
        thread.join(0.3)
        assert thread.is_alive(), "the merge waits for the ingest's lock"
        assert reader.current() is before and before.bm25_search("budget", 5)
    thread.join(30)
    after = reader.current()
    assert after.name != before.name and len(after.manifest["segments"]) == 1
    assert_same_results(after, rebuilt(store, tmp_path / "single"))
    assert publisher.merge_soon() is None


def test_changes_left_by_a_writer_that_died_are_published_by_the_next(store, tmp_path):
    root = tmp_path / "index"
    SnapshotPublisher(store, root).publish()
    write(store, [passage(70)])  # then the process died before it published
    later = SnapshotPublisher(store, root)  # the next process, same store and folder
    assert later.publish_if_stale()
    snap = SnapshotReader(root).current()
    assert len(snap.manifest["segments"]) == 2 and snap.get(["p00070"])


def test_a_write_by_someone_else_between_ours_makes_a_full_build(store, tmp_path):
    """Another host writing to the same Chroma collection notes nothing in this index's
    journal: the chain of generations our writes record breaks, and the publish reads the
    whole store instead of missing that write."""
    root = tmp_path / "index"
    publisher = SnapshotPublisher(store, root)
    publisher.publish()
    write(store, [passage(72)])
    journal, store.journal = store.journal, None  # the other host's write
    write(store, [passage(73)])
    store.journal = journal
    write(store, [passage(74)])
    assert not journal.continuous(SnapshotReader(root).current().store_generation,
                                  store.generation())  # fmt: skip
    assert publisher.publish_if_stale()
    snap = SnapshotReader(root).current()
    assert (
        len(snap.manifest["segments"]) == 1 and len(snap.get(["p00072", "p00073", "p00074"])) == 3
    )


def test_a_store_written_without_the_journal_is_built_from_scratch(store, tmp_path):
    root = tmp_path / "index"
    publisher = SnapshotPublisher(store, root)
    publisher.publish()
    store.journal = None  # a client that does not note its writes
    write(store, [passage(71)])
    assert publisher.publish_if_stale()
    snap = SnapshotReader(root).current()
    assert len(snap.manifest["segments"]) == 1 and snap.get(["p00071"])


def test_a_merge_killed_midway_leaves_the_snapshot_in_use(store, tmp_path):
    """SIGKILL while a merge (in another process) writes its segment: CURRENT still names the
    snapshot before, which loads and searches alike; the lock is free; the next merge
    completes and clears the dead writer's folder."""
    from tests.test_concurrency import lock_held, wait_for

    root = tmp_path / "index"
    publisher = SnapshotPublisher(store, root)
    publisher.publish()
    for round_ in range(snapshots_module.MAX_SMALL + 1):
        write(store, [passage(100 + round_)])
        publisher.publish_if_stale()
    before = SnapshotReader(root).current()
    assert merge_plan(before.manifest) is not None
    expected = {q: before.bm25_search(q, 10) for q in QUERIES}
    code = f"""
import time
from pathlib import Path
import vectorstore.segment_write as write
from tests.fakes import HashEmbedder
from vectorstore.memory import MemoryStore
from vectorstore.snapshots import SnapshotPublisher

slow = write._write
def stalled(*args, **kwargs):  # the merged segment's texts are written; its arrays never are
    time.sleep(120)
    return slow(*args, **kwargs)
write._write = stalled
SnapshotPublisher(MemoryStore(HashEmbedder(32)), Path({str(root)!r})).merge()
"""
    writer = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    try:
        wait_for(lambda: any(root.glob(".tmp-*/passages.jsonl")), 60, "the merge writing")
        assert lock_held(root)
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    assert list(root.glob(".tmp-*")), "killed before it could clean up"
    assert current_name(root) == before.name and not lock_held(root)
    after_kill = SnapshotReader(root).current()
    assert {q: after_kill.bm25_search(q, 10) for q in QUERIES} == expected
    assert publisher.merge()
    merged = SnapshotReader(root).current()
    assert merged.name != before.name and not list(root.glob(".tmp-*"))
    assert {q: merged.bm25_search(q, 10) for q in QUERIES} == expected


def test_bm25_over_postings_scores_as_bm25s_does():
    """The postings score with bm25s's "lucene" BM25 (what the index used before segments):
    the same numbers for every row, repeated query words included."""
    import bm25s
    from bm25s.tokenization import Tokenized

    from danish.analyzer import DanishAnalyzer
    from vectorstore.postings import Postings, build_postings, scores, stats

    analyzer = DanishAnalyzer()
    docs = [analyzer(passage(i).text) for i in range(200)]
    vocab: dict[str, int] = {"": 0}
    ids = [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in docs]
    reference = bm25s.BM25()
    reference.index(Tokenized(ids=ids, vocab=vocab), show_progress=False)
    parts = [(Postings(**build_postings(docs)), None)]
    for query in QUERIES:
        tokens = analyzer(query)
        ours = scores(tokens, parts, [0], len(docs), stats(parts))
        theirs = reference.get_scores([vocab[t] for t in tokens if t in vocab])
        assert ours.any() and np.allclose(ours, theirs, atol=1e-5)


def test_ingests_publish_segments_and_merge_them_through_the_real_pipeline(
    tmp_path, monkeypatch, model_folder
):
    """Real Chroma, real embedder, the ingest as the CLI and the app run it: each ingest adds
    a segment (the store is not read whole), an edited file replaces its rows, and once small
    segments pass the threshold a merge folds them after the ingest lets go of the lock."""
    from ui.config import load_settings
    from ui.factory import build_ingestor, index_folder

    monkeypatch.setattr(snapshots_module, "MAX_SMALL", 1)
    monkeypatch.setattr(snapshots_module, "SMALL_SHARE", 10.0)
    monkeypatch.setattr(snapshots_module, "DELETED_SHARE", 0.9)
    monkeypatch.setenv("REFERENT_STORE_DIR", str(tmp_path / "store"))
    docs = tmp_path / "docs"
    docs.mkdir()
    topics = [
        "vejbelysning",
        "skolebusser",
        "legepladser",
        "cykelstier",
        "svømmehal",
        "biblioteker",
        "ældrepleje",
        "vinterbekæmpelse",
        "lokalplaner",
        "kulturhuse",
    ]
    for i, topic in enumerate(topics):
        (docs / f"{topic}.txt").write_text(f"Notat {i}\n\nUdvalget drøftede {topic}.\n", "utf-8")
    build_ingestor(load_settings()).run([docs])
    root = index_folder(load_settings())
    reader = SnapshotReader(root)
    assert len(reader.current().segments) == 1
    (docs / "cykelstier.txt").write_text("Notat 3\n\nUdvalget drøftede cykelstier.\n", "utf-8")
    (docs / "skolebusser.txt").write_text("Notat 1\n\nByrådet vedtog nye skolebusser.\n", "utf-8")
    ingestor = build_ingestor(load_settings())
    ingestor.run([docs])
    snap = reader.current()
    assert [s["rows"] > 0 for s in snap.manifest["segments"]] == [True, True]
    assert snap.manifest["segments"][0]["deleted"] >= 1, "the edited file's old rows"
    assert [c for c, _ in snap.bm25_search("vedtog skolebusser", 1)]
    assert len(snap) == sum(1 for _ in ingestor.store.iter_passages())
    (docs / "affald.txt").write_text("Notat 4\n\nUdvalget drøftede affald.\n", "utf-8")
    ingestor = build_ingestor(load_settings())
    ingestor.run([docs])  # two segments after the first: more than MAX_SMALL
    assert ingestor.publisher.merger is not None
    ingestor.publisher.merger.join(60)
    merged = reader.current()
    assert len(merged.segments) == 2 and merged.manifest["segments"][1]["deleted"] == 0
    assert len(merged) == sum(1 for _ in ingestor.store.iter_passages())
    assert merged.bm25_search("affald", 1) and merged.bm25_search("vedtog skolebusser", 1)


def test_a_segment_with_no_live_row_left_is_dropped(store, tmp_path):
    root = tmp_path / "index"
    publisher = SnapshotPublisher(store, root)
    publisher.publish()
    write(store, [passage(80), passage(81)])
    publisher.publish_if_stale()
    assert len(SnapshotReader(root).current().segments) == 2
    store.delete_ids(["p00080", "p00081"])
    publisher.publish_if_stale()
    snap = SnapshotReader(root).current()
    assert [s["rows"] for s in snap.manifest["segments"]] == [60] and len(snap) == 60
    assert len(list((root / "segments").iterdir())) <= 2  # the dropped one goes when pruned
    assert_same_results(snap, rebuilt(store, tmp_path / "single"))


def test_a_merge_keeps_the_sentences_of_the_rows_it_keeps(store, tmp_path):
    from vectorstore.sentences import passage_sentences, sentence_key

    def keys_of(snap) -> set[bytes]:
        return {bytes(k) for s in snap.segments for k in s.sentences.keys}

    root = tmp_path / "index"
    publisher = SnapshotPublisher(store, root)
    publisher.publish()
    old = {sentence_key(s).encode("ascii") for _, s in passage_sentences(passage(3).text, "")}
    write(store, [passage(3, 1), passage(60)])  # p00003's text replaced: its old sentence goes
    store.delete_ids(["p00010"])
    publisher.publish_if_stale()
    assert old <= keys_of(SnapshotReader(root).current())  # deleted rows keep theirs until merged
    assert publisher.merge(everything=True)
    merged = SnapshotReader(root).current()
    assert keys_of(merged) == keys_of(rebuilt(store, tmp_path / "single"))  # what a build keeps
    assert old and not old & keys_of(merged)
    (segment,) = merged.segments
    offsets, indices = segment.sentences.of_rows
    named_rows = 0
    for row in range(len(segment)):  # each row still names its own sentences
        p = segment.passage(row)
        named = {bytes(segment.sentences.keys[i]) for i in indices[offsets[row] : offsets[row + 1]]}
        own = {sentence_key(s).encode("ascii") for _, s in passage_sentences(p.text, "")}
        assert named == own & keys_of(merged)
        named_rows += bool(named)
    assert named_rows >= 55  # all but the two new ones (`write` embeds no new sentences)
    assert_same_results(merged, rebuilt(store, tmp_path / "single-2"))


def test_a_segment_written_before_rows_named_their_sentences_keeps_them_all(store, tmp_path):
    from vectorstore.segment import ROW_SENTENCE_OFFSETS, ROW_SENTENCES

    root = tmp_path / "index"
    publisher = SnapshotPublisher(store, root)
    publisher.publish()
    (base,) = SnapshotReader(root).current().segments
    for name in (ROW_SENTENCE_OFFSETS, ROW_SENTENCES):  # as the release before wrote it
        (base.folder / name).unlink()
    before = {bytes(k) for k in base.sentences.keys}
    write(store, [passage(3, 1)])
    publisher.publish_if_stale()
    assert publisher.merge(everything=True)
    (merged,) = SnapshotReader(root).current().segments
    assert {bytes(k) for k in merged.sentences.keys} == before  # p00003's old ones stay
    assert merged.sentences.of_rows is None
    assert_same_results(SnapshotReader(root).current(), rebuilt(store, tmp_path / "single"))
