"""The text BM25 indexes for a passage. The Danish analysis of it (stop words, Snowball stems,
compound halves) is `danish.analyzer`; the index built from its tokens is part of an index
snapshot (`vectorstore.snapshot`).
"""

from __future__ import annotations


def lexical_text(title: str, section: str, text: str) -> str:
    return f"{title}\n{section}\n{text}"
