"""The plain-CSV reader (data_access.read_arrow) gives the line reader's frames, and leaves every
file it is not sure of to the line reader (whose messages tests/test_import_messy.py checks).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from data_access import importer, read_arrow
from data_access.read_files import open_records

HEADER = "code;name;unit_code"


def _line_reader(path: Path, rows: int) -> list[pd.DataFrame]:
    header, records = open_records(path)
    return [f for f, _ in importer._row_chunks(records, "agencies.csv", header, rows, {"source": path.name})]


def test_a_plain_file_reads_as_the_line_reader_reads_it(tmp_path: Path) -> None:
    # BOM, CRLF, ';', stray spaces, Vietnamese in NFC, an all-empty record (line 5, skipped by
    # both) and a spreadsheet's trailing empty records and blank lines.
    text = (
        f"\ufeff{HEADER}\r\n"
        " A-1 ; Một cửa Xã Một A ;101\r\n"
        "A-2;Sở Tư pháp;70\r\n"
        "A-3;  ;70 \r\n"
        ";;\r\n"
        "A-4;Ủy ban;100\r\n"
        ";;\r\n"
        "\r\n"
    )
    path = tmp_path / "agencies.csv"
    path.write_bytes(text.encode("utf-8"))
    assert read_arrow.plain_records(path, ";", 3) == 6
    ours = [frame for frame, bad in importer.read_chunks(path, "agencies.csv", rows=2) if not bad]
    theirs = _line_reader(path, 2)
    ours_all = pd.concat(ours, ignore_index=True)
    theirs_all = pd.concat(theirs, ignore_index=True)
    pd.testing.assert_frame_equal(ours_all, theirs_all)
    assert ours_all["_line"].tolist() == [2, 3, 4, 6]  # line 5 is empty
    assert ours_all["code"].tolist() == ["A-1", "A-2", "A-3", "A-4"]
    assert ours_all["name"].tolist() == ["Một cửa Xã Một A", "Sở Tư pháp", "", "Ủy ban"]
    assert all(len(f) <= 2 for f in ours)


@pytest.mark.parametrize(
    "body",
    [
        b'A-1;"Quoted";101\n',  # a quote: the line reader's rules
        b"A-1;Name\x00;101\n",  # NUL
        b"A-1;Name;101;x\n",  # four values
        b"A-1;Name;101\n\nA-2;Name;101\n",  # a blank line before a record
        "A-1;Ủy ban;101\n".replace("Ủ", unicodedata.normalize("NFD", "Ủ")).encode(),  # not NFC
        b"A-1;Name\r;101\n",  # a lone CR
        b"A-1;T\xeanh;101\n",  # not UTF-8
        b"A-1;Name\x1f;101\n",  # a separator control character
    ],
)
def test_anything_else_goes_to_the_line_reader(tmp_path: Path, body: bytes) -> None:
    path = tmp_path / "agencies.csv"
    path.write_bytes(HEADER.encode() + b"\n" + body)
    assert read_arrow.plain_records(path, ";", 3) is None


def test_only_a_header_goes_to_the_line_reader(tmp_path: Path) -> None:
    path = tmp_path / "agencies.csv"
    path.write_bytes(HEADER.encode() + b"\n")
    assert read_arrow.plain_records(path, ";", 3) is None
