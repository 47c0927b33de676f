"""Rows read with pread (`vectorstore.row_file`): what numpy's own indexing gives, for any order,
repeats, neighbouring runs and the dtypes segments store."""

from __future__ import annotations

import numpy as np
import pytest

from vectorstore.row_file import RowFile, TextFile


@pytest.mark.parametrize(
    "array",
    [
        np.arange(600, dtype=np.float32).reshape(200, 3),
        np.arange(800, dtype=np.float16).reshape(100, 8),
        np.asarray([b"p1", b"passage-22", b"x"] * 30, dtype="S10"),
        np.arange(50, dtype=np.uint16),
    ],
)
def test_rows_read_as_numpy_indexes_them(tmp_path, array):
    np.save(tmp_path / "a.npy", array)
    rows = RowFile(tmp_path / "a.npy")
    assert len(rows) == len(array) and rows.dtype == array.dtype
    rng = np.random.default_rng(1)
    for wanted in ([0], [len(array) - 1, 0], [5, 3, 4, 4, 6, 30], rng.integers(0, len(array), 40)):
        assert np.array_equal(rows.take(wanted), array[np.asarray(wanted)])
    assert np.array_equal(rows[7:19], array[7:19]) and len(rows[19:7]) == 0
    assert np.array_equal(rows[3], array[3]) and np.array_equal(np.asarray(rows), array)
    assert rows.take([]).shape == (0, *array.shape[1:])
    with pytest.raises(IndexError):
        rows.take([len(array)])


def test_an_empty_table_and_byte_ranges(tmp_path):
    np.save(tmp_path / "e.npy", np.zeros((0, 4), dtype=np.float16))
    assert RowFile(tmp_path / "e.npy").take([]).shape == (0, 4)
    (tmp_path / "t.jsonl").write_bytes(b'{"a": 1}\n{"b": "\xc3\xa6"}\n')
    texts = TextFile(tmp_path / "t.jsonl")
    assert texts.read(9, 21) == b'{"b": "\xc3\xa6"}\n' and texts.read(0, 0) == b""
