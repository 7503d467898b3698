"""Reading the records of one exchange file as real exports come: CSV or a spreadsheet.

CSV: UTF-8 with or without BOM, LF or CRLF, ``,`` or ``;`` (or tab) as separator, sniffed from
the header line. Spreadsheet: an ``.xlsx`` whose first sheet holds the same columns (read with
openpyxl in read-only mode; dates Excel stored as datetimes become ISO text). Every value is
NFC-normalised (a Vietnamese letter typed as a base letter plus combining marks is stored as the
one precomposed letter). Records whose values are all empty (a spreadsheet's trailing rows) are
skipped. What cannot be read as intended stops the import with its place
(:class:`~data_access.import_problems.ImportFatal`): another encoding, NUL bytes, an unclosed or
misplaced quote.
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from data_access.import_problems import ImportFatal

SEPARATORS: tuple[str, ...] = (",", ";", "\t")
#: Columns holding a date (not a time): a spreadsheet's datetime becomes YYYY-MM-DD there.
DATE_COLUMNS = frozenset({"valid_from", "valid_to"})
Records = Iterator[tuple[int, list[str]]]


@dataclass
class Position:
    """How far a reader is through its file: ``done`` of ``size`` (bytes, characters or rows)."""

    done: int = 0
    size: int = 0

    def fraction(self) -> float:
        """The part of the file read, 0–1 (0 while unknown)."""
        return min(self.done / self.size, 1.0) if self.size > 0 else 0.0


def nfc(text: str) -> str:
    """``text`` in Unicode NFC (checked first: most lines already are, and the check is cheap)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def open_records(path: Path, position: Position | None = None) -> tuple[list[str], Records]:
    """The header (stripped, NFC) and an iterator of (physical line, values) of the file.

    ``position`` is kept up to date with the bytes (rows of a spreadsheet) read so far.
    """
    if path.suffix.lower() == ".xlsx":
        return _xlsx_records(path, position or Position())
    return _csv_records(path, position or Position())


def sniff_separator(header: str) -> str:
    """The separator that occurs most often in the header line outside quotes (``,`` on a tie)."""
    outside = "".join(part for i, part in enumerate(header.split('"')) if i % 2 == 0)
    counts = {sep: outside.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: (counts[sep], sep == ","))
    return best if counts[best] else ","


def _text_lines(path: Path, position: Position) -> Iterator[str]:
    """Decoded lines of ``path`` (UTF-8, a leading BOM dropped); another encoding or a NUL stops."""
    position.size = path.stat().st_size
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            position.done += len(raw)
            if number == 1:
                if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
                    raise ImportFatal("imp_utf16", file=path.name, line=1)
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                before = raw[: exc.start].decode("utf-8", "replace")
                problem = ImportFatal(
                    "imp_not_utf8",
                    file=path.name,
                    line=number,
                    byte=f"0x{raw[exc.start]:02X}",
                    char=len(before) + 1,
                )
                problem.prefix = before
                raise problem from None
            if "\x00" in text:
                problem = ImportFatal("imp_nul", file=path.name, line=number, char=text.index("\x00") + 1)
                problem.prefix = text[: text.index("\x00")]
                raise problem
            yield nfc(text)


def _csv_records(path: Path, position: Position) -> tuple[list[str], Records]:
    lines = _text_lines(path, position)
    first = next(lines, "")
    sep = sniff_separator(first)
    header = _header(_parse_one(first, sep, path, 1), path.name)

    def chained() -> Iterator[str]:
        yield first
        yield from lines

    reader = csv.reader(chained(), delimiter=sep, strict=True)
    next(reader, None)  # the header, parsed above

    def records() -> Records:
        start = reader.line_num + 1
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise _quote_problem(path, start, sep, header) from None
            except ImportFatal as problem:  # another encoding, a NUL: name the column it is in
                if problem.prefix is not None and not problem.column:
                    index = len(next(csv.reader([problem.prefix], delimiter=sep), [""])) - 1
                    problem.column = header[index] if 0 <= index < len(header) else str(index + 1)
                raise
            if any(v.strip() for v in record):
                yield start, _trim(record, len(header))
            start = reader.line_num + 1

    return header, records()


def _parse_one(line: str, sep: str, path: Path, number: int) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=sep, strict=True), [])
    except csv.Error:
        raise ImportFatal("imp_quote", file=path.name, line=number, column="1") from None


def _header(cells: list[str], file: str) -> list[str]:
    header = [nfc(h).strip() for h in cells]
    while header and not header[-1]:  # a spreadsheet's empty trailing columns
        header.pop()
    return header


def _trim(record: list[str], width: int) -> list[str]:
    """Drop empty values beyond the header's width (a spreadsheet's trailing separators)."""
    if len(record) > width and not any(v.strip() for v in record[width:]):
        return record[:width]
    return record


def _quote_problem(path: Path, line: int, sep: str, header: list[str]) -> ImportFatal:
    """The unclosed or misplaced quote of the record starting on ``line``, with its column."""
    text = ""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if number == line:
                text = raw.decode("utf-8", "replace").rstrip("\r\n")
                break
    fields = next(csv.reader([text], delimiter=sep), [""])
    index = len(fields) - 1
    for i, value in enumerate(text.split(sep)):  # the first field that opens a quote and never closes it
        if value.strip().startswith('"') and value.strip().count('"') % 2 == 1:
            index = i
            break
    column = header[index] if index < len(header) else str(index + 1)
    return ImportFatal("imp_quote", file=path.name, line=line, column=column)


def _cell(value: Any, column: str) -> str:
    """A spreadsheet cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if column in DATE_COLUMNS and value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value))


def _xlsx_records(path: Path, position: Position) -> tuple[list[str], Records]:
    from openpyxl import load_workbook  # only when a spreadsheet is given

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFatal("imp_bad_xlsx", file=path.name, reason=str(exc).splitlines()[0]) from None
    sheet = book.worksheets[0]
    position.size = sheet.max_row or 0  # the sheet's recorded dimension (may be missing)
    rows = sheet.iter_rows(values_only=True)
    first = next(rows, ())
    header = _header([_cell(v, "") for v in first], path.name)

    def records() -> Records:
        try:
            for number, row in enumerate(rows, start=2):
                position.done = number
                names = [*header, *[""] * max(0, len(row) - len(header))]
                values = [_cell(v, names[i]) for i, v in enumerate(row)]
                if any(v.strip() for v in values):
                    if "\x00" in "".join(values):
                        raise ImportFatal("imp_nul", file=path.name, line=number, char=1)
                    yield number, _trim(values, len(header))
        finally:
            book.close()

    return header, records()
