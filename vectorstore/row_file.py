"""Rows of an `.npy` file read with `pread`, for tables a search reads a row here and a row there.

A memory-mapped file is counted in a process's resident memory page by page as it is touched,
and the kernel maps the cached pages around every fault too ("fault-around", 64 KB): a search
that reads a hundred scattered rows per question (the float32 vectors of its best candidates,
their texts, sentence vectors) had, after a few hundred questions, most of a 100k store's
tables mapped in every reader (~400 MB of its ~800). Reading those rows with `pread` goes
through the same page cache — shared by every process, kept while memory allows — without
mapping anything into the reader. Tables a search reads whole (the int8 scan vectors, filter
columns) stay memory-mapped.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np


class RowFile:
    """The rows of a 1- or 2-dimensional C-ordered `.npy` file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        with self.path.open("rb") as fh:
            version = np.lib.format.read_magic(fh)
            read_header = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0
            )
            shape, fortran, dtype = read_header(fh)
            self._offset = fh.tell()
        if fortran:
            raise ValueError(f"{path}: Fortran-ordered arrays are not read by row")
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self._row = self.dtype.itemsize * int(np.prod(self.shape[1:], dtype=np.int64))
        self._fd = os.open(self.path, os.O_RDONLY)

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)
        if fd is not None:
            os.close(fd)

    def __len__(self) -> int:
        return int(self.shape[0]) if self.shape else 0

    def take(self, rows) -> np.ndarray:
        """These rows (any order, repeats allowed), as a new array; runs of neighbouring rows
        are read with one call."""
        rows = np.asarray(rows, dtype=np.int64).reshape(-1)
        out = np.empty((len(rows), *self.shape[1:]), dtype=self.dtype)
        if not len(rows):
            return out
        if rows.min() < 0 or rows.max() >= len(self):
            raise IndexError(f"row out of range for {self.path.name} ({len(self)} rows)")
        order = np.argsort(rows, kind="stable")
        ordered = rows[order]
        breaks = np.flatnonzero(np.diff(ordered) > 1) + 1
        flat = out.reshape(len(rows), -1) if out.ndim > 1 else out.reshape(len(rows), 1)
        start = 0
        for run in np.split(ordered, breaks):
            first, last = int(run[0]), int(run[-1])
            data = os.pread(
                self._fd, (last - first + 1) * self._row, self._offset + first * self._row
            )
            block = np.frombuffer(data, dtype=self.dtype).reshape(last - first + 1, -1)
            flat[order[start : start + len(run)]] = block[run - first]
            start += len(run)
        return out

    def row(self, index: int):
        """One row (a scalar for a 1-dimensional table), with one call."""
        if not 0 <= index < len(self):
            raise IndexError(f"row {index} out of range for {self.path.name} ({len(self)} rows)")
        data = os.pread(self._fd, self._row, self._offset + index * self._row)
        return np.frombuffer(data, dtype=self.dtype).reshape(self.shape[1:])[()]

    def range(self, start: int, end: int) -> np.ndarray:
        """Rows [start, end), with one call."""
        start, end = max(0, start), min(len(self), end)
        if end <= start:
            return np.empty((0, *self.shape[1:]), dtype=self.dtype)
        data = os.pread(self._fd, (end - start) * self._row, self._offset + start * self._row)
        return np.frombuffer(data, dtype=self.dtype).reshape(end - start, *self.shape[1:])

    def __getitem__(self, key):
        if isinstance(key, slice) and key.step in (None, 1):
            return self.range(*key.indices(len(self))[:2])
        if isinstance(key, (int, np.integer)):
            return self.row(int(key))
        return self.take(key)

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        whole = self.range(0, len(self))
        return whole if dtype is None else whole.astype(dtype)


class TextFile:
    """Byte ranges of a file (one passage record each), read with `pread`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd = os.open(self.path, os.O_RDONLY)

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)
        if fd is not None:
            os.close(fd)

    def read(self, start: int, end: int) -> bytes:
        return os.pread(self._fd, end - start, start)
