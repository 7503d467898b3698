"""Reading a plain CSV export with pyarrow: the same frames as the line-by-line reader, faster.

:mod:`data_access.read_files` reads every file line by line in Python, which handles every
messy export exactly (quotes, encodings, NUL bytes, trailing separators, blank lines) but takes
about 8 s of CPU a million dossiers. Most exports are plain: UTF-8 already in NFC, no quote
character, every line holding exactly the header's number of values. :func:`plain_records`
scans the bytes for exactly that (NumPy, about 0.1 s a million lines) before anything is read;
only then are the rows read by pyarrow's CSV reader, in blocks, as strings. Anything else
returns None and the line-by-line reader reads the file, so the rejections and fatal messages
stay its own. On a plain file each record is one physical line, so record *i* is line *i* + 2.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pv

#: Bytes scanned (and pyarrow blocks) at a time.
BLOCK = 16 << 20
_NEWLINE, _CR = 10, 13


def _pieces(path: Path) -> Iterator[bytes]:
    """The file after its header line, in pieces of whole lines (each ending with a newline)."""
    with path.open("rb") as fh:
        fh.readline()
        carry = b""
        while chunk := fh.read(BLOCK):
            data = carry + chunk
            cut = data.rfind(b"\n") + 1
            carry = data[cut:]
            if cut:
                yield data[:cut]
        if carry:
            yield carry + b"\n"


def _plain_piece(piece: bytes) -> bool:
    """No quote, NUL, lone CR or ASCII separator control (which Python's strip and pyarrow's
    trim treat differently); UTF-8 in NFC.
    """
    if b'"' in piece or b"\x00" in piece:
        return False
    if b"\r" in piece and piece.count(b"\r") != piece.count(b"\r\n"):
        return False
    if any(c in piece for c in (b"\x1c", b"\x1d", b"\x1e", b"\x1f")):
        return False
    if piece.isascii():
        return True
    try:
        text = piece.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return unicodedata.is_normalized("NFC", text)


def plain_records(path: Path, separator: str, width: int) -> int | None:
    """How many records follow the header if the file is plain (every line after the header
    holds ``width`` values, blank lines only at the end); None if not, or if there are none.
    """
    if len(separator.encode()) != 1:
        return None
    sep = separator.encode()[0]
    records, blank_seen = 0, False
    for piece in _pieces(path):
        if not _plain_piece(piece):
            return None
        data = np.frombuffer(piece, dtype=np.uint8)
        ends = np.flatnonzero(data == _NEWLINE)
        starts = np.concatenate(([0], ends[:-1] + 1))
        length = ends - starts - (data[np.maximum(ends - 1, 0)] == _CR)
        blank = length == 0
        values = np.diff(np.searchsorted(np.flatnonzero(data == sep), ends), prepend=0) + 1
        if blank_seen and not blank.all():
            return None
        if blank.any():
            first_blank = int(np.argmax(blank))
            if not blank[first_blank:].all():
                return None
            blank_seen = True
        if (values[~blank] != width).any():
            return None
        records += int((~blank).sum())
    return records or None


def read_tables(path: Path, separator: str, header: list[str], rows: int) -> Iterator[pa.Table]:
    """The records of a plain file (:func:`plain_records`) as tables of ``rows`` records (the
    last may hold fewer), every column a string, named by ``header``.
    """
    reader = pv.open_csv(
        path,
        read_options=pv.ReadOptions(column_names=header, skip_rows=1, block_size=BLOCK),
        parse_options=pv.ParseOptions(
            delimiter=separator, quote_char=False, newlines_in_values=False, ignore_empty_lines=True
        ),
        convert_options=pv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    pending: list[pa.RecordBatch] = []
    held = 0
    for batch in reader:
        pending.append(batch)
        held += batch.num_rows
        while held >= rows:
            table = pa.Table.from_batches(pending)
            yield table.slice(0, rows)
            rest = table.slice(rows)
            pending, held = rest.to_batches(), rest.num_rows
    if held:
        yield pa.Table.from_batches(pending)
