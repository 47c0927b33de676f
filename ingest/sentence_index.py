"""Vectors for the sentences of new passages, so answers can choose sentences by meaning.

Every distinct sentence is embedded once (the key is its text's hash); a store built before
sentence vectors existed is completed on its next ingest run, and sentences left without a
passage are swept when passages were deleted.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from ingest.report import IngestReport
from vectorstore.protocols import PassageStore
from vectorstore.sentences import passage_sentences, sentence_key

SENTENCE_BATCH = 64  # short texts: the embedder packs them into its own token batches


def sentence_texts(passages: Iterable[tuple[str, str]]) -> dict[str, str]:
    """key → sentence for (text, section) pairs of passages."""
    out: dict[str, str] = {}
    for text, section in passages:
        for _, sentence in passage_sentences(text, section):
            out.setdefault(sentence_key(sentence), sentence)
    return out


def embed_missing(
    store: PassageStore, sentences: dict[str, str], report: IngestReport, progress=None
) -> None:
    """Embed and store the sentences that have no vector yet."""
    todo = store.sentences.missing(sentences)
    if progress is not None:
        progress.sentences_total(len(todo))
    for start in range(0, len(todo), SENTENCE_BATCH):
        keys = todo[start : start + SENTENCE_BATCH]
        texts = [sentences[k] for k in keys]
        t0 = time.perf_counter()
        vectors = store.embedder.embed_passages(texts)
        report.sentence_seconds += time.perf_counter() - t0
        store.sentences.add(keys, texts, vectors)
        report.sentences_embedded += len(keys)
        if progress is not None:
            progress.sentences_done(len(keys))


def all_sentences(store: PassageStore) -> dict[str, str]:
    return sentence_texts((p.text, p.metadata.section) for p, _ in store.iter_passages())


def complete(store: PassageStore, report: IngestReport, swept: bool, progress=None) -> None:
    """After a run: give every passage's sentences a vector if the store lacks some (built by
    an earlier version), and sweep the vectors no passage needs after deletions."""
    if store.sentences_complete() and not swept:
        return
    everything = all_sentences(store)
    if not store.sentences_complete():
        embed_missing(store, everything, report, progress)
        store.mark_sentences_complete()
        swept = True  # another version of `passage_sentences` may have left other keys
    if swept:
        store.sentences.sweep(set(everything))
