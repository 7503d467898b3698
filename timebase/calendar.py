"""The calendar as data: official days off and worked days that the `holidays` package lacks.

The working-day clock (:mod:`timebase.workdays`) starts from the `holidays` package's Vietnamese
calendar (weekends, the public holidays of Labour Code 2019 art. 112, lunar Tết, the swaps the
package knows) and then applies, date by date, the rows of two files:

- ``timebase/calendar_vn.csv``, the repository's: official swaps the pinned package lacks, each
  with its source document (2026: Friday 2/1 off, Saturday 10/1 worked, Official Letter
  12729/VPCP-KGVX of 25/12/2025);
- a deployment's own file (setting ``IOC_CALENDAR_FILE``): a provincial day off, a swap announced
  after the package was pinned. On a date both files name, the deployment's row wins.

A file is CSV in UTF-8 with the header ``date,kind,name,source`` (other columns are ignored):
``date`` as YYYY-MM-DD between :data:`FIRST_YEAR` and :data:`LAST_YEAR`; ``kind`` ``day_off``
(not a working day) or ``worked`` (a working day, such as a Saturday worked for a swap); ``name``
and ``source`` (the document: number, issuer, date) never empty; a date at most once a file.
Anything else raises :class:`CalendarFileError`, whose one-line message names the file and the
line, in Vietnamese and then in English.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: The years the clock covers (and the import accepts: data_access.validate).
FIRST_YEAR, LAST_YEAR = 2010, 2040
REPOSITORY_CALENDAR = Path(__file__).resolve().parent / "calendar_vn.csv"
COLUMNS = ("date", "kind", "name", "source")
KINDS = ("day_off", "worked")
#: A calendar is a few lines a year; a file this large is not one.
MAX_BYTES = 1024 * 1024
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class CalendarFileError(ValueError):
    """A calendar file cannot be used; the message says where and why (Vietnamese, then English)."""


@dataclass(frozen=True)
class CalendarDay:
    """One row of a calendar file: a date that is (``worked``) or is not (``day_off``) a working day."""

    day: dt.date
    kind: str
    name: str
    source: str

    @property
    def working(self) -> bool:
        """True for a worked day, False for a day off."""
        return self.kind == "worked"


def _error(file: Path, line: int | None, vi: str, en: str) -> CalendarFileError:
    at_vi = f", dòng {line}" if line else ""
    at_en = f", line {line}" if line else ""
    return CalendarFileError(f"Tệp lịch {file}{at_vi}: {vi} — Calendar file {file}{at_en}: {en}")


def read_calendar_file(path: str | Path) -> tuple[CalendarDay, ...]:
    """The rows of the calendar file at ``path``, sorted by date; read again only when the file
    changes. Raises :class:`CalendarFileError` when the file is missing, too large or malformed.
    """
    file = Path(path)
    try:
        stat = file.stat()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise _error(file, None, f"không đọc được ({reason})", f"cannot be read ({reason})") from exc
    if stat.st_size > MAX_BYTES:
        raise _error(file, None, "lớn hơn 1 MB, không phải tệp lịch", "larger than 1 MB, not a calendar")
    return _parse(file, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _parse(file: Path, _mtime_ns: int, _size: int) -> tuple[CalendarDay, ...]:
    """The file's rows (the modification time and size are the cache key: an edit is read again)."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _error(file, None, "không phải văn bản UTF-8", "not UTF-8 text") from exc
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise _error(file, None, f"không đọc được ({reason})", f"cannot be read ({reason})") from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        cols = ", ".join(missing)
        raise _error(
            file, 1, f"thiếu cột {cols} (tiêu đề phải là {','.join(COLUMNS)})",
            f"missing column(s) {cols} (the header must be {','.join(COLUMNS)})",
        )  # fmt: skip
    reader.fieldnames = header
    days: dict[dt.date, CalendarDay] = {}
    first_line: dict[dt.date, int] = {}
    for row in reader:
        line = reader.line_num
        entry = _row(file, line, row)
        if entry.day in days:
            seen = first_line[entry.day]
            raise _error(
                file, line, f"ngày {entry.day:%d/%m/%Y} đã có ở dòng {seen}",
                f"{entry.day.isoformat()} is already on line {seen}",
            )  # fmt: skip
        days[entry.day], first_line[entry.day] = entry, line
    return tuple(sorted(days.values(), key=lambda d: d.day))


def _row(file: Path, line: int, row: dict[str | None, str | list[str] | None]) -> CalendarDay:
    """One row checked: a real ISO date in range, a known kind, a name and a source."""
    if row.get(None):  # csv puts the fields beyond the header under the key None
        raise _error(file, line, "nhiều cột hơn tiêu đề (dấu phẩy trong tên? đặt trong ngoặc kép)",
                     "more fields than the header (a comma in a name? quote it)")  # fmt: skip
    values = {c: str(row.get(c) or "").strip() for c in COLUMNS}
    raw = values["date"]
    try:
        if not _ISO_DAY.fullmatch(raw):
            raise ValueError(raw)
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise _error(file, line, f"ngày '{raw}' không hợp lệ (cần dạng YYYY-MM-DD)",
                     f"date '{raw}' is not a date (YYYY-MM-DD expected)") from None  # fmt: skip
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _error(file, line, f"ngày {raw} ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}",
                     f"{raw} is outside {FIRST_YEAR}–{LAST_YEAR}")  # fmt: skip
    if values["kind"] not in KINDS:
        raise _error(file, line, f"loại '{values['kind']}' không hợp lệ (day_off hoặc worked)",
                     f"kind '{values['kind']}' is not day_off or worked")  # fmt: skip
    for column, vi in (("name", "tên"), ("source", "văn bản nguồn")):
        if not values[column]:
            raise _error(file, line, f"thiếu {vi} (cột {column})", f"the {column} is empty")
    return CalendarDay(day, values["kind"], values["name"], values["source"])


def calendar_days(deployment_file: str | Path | None = None) -> dict[dt.date, CalendarDay]:
    """The repository's rows, then the deployment file's (if any) over them, by date."""
    merged = {d.day: d for d in read_calendar_file(REPOSITORY_CALENDAR)}
    if deployment_file:
        merged.update({d.day: d for d in read_calendar_file(deployment_file)})
    return merged
