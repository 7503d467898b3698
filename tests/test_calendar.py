"""The calendar as data: the official swaps the `holidays` package lacks, a deployment's own days,
and what a malformed calendar file says.

Every expected date is worked out by hand in a comment. The rule (docs/rules.md §C,
timebase/workdays.py): a dossier received before 15:00 on a working day counts from that day (day 0);
after 15:00, or on a day off, from the next working day; N working days end at 17:00 of the N-th
working day after the day it counts from.

January 2026 (Official Letter 12729/VPCP-KGVX of 25/12/2025: Friday 2/1 off, Saturday 10/1 worked):
    Mon Tue Wed Thu Fri Sat Sun
                 1*  2*  3   4        * 1/1 New Year's Day (package), 2/1 swapped day off (our file)
     5   6   7   8   9  10+ 11        + 10/1 worked for the swap (our file)
    12  13  14  15  16  17  18
    19  20  21  22  23  24  25
    26  27  28  29  30  31
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import holidays
import pandas as pd
import pytest

import cli
import settings
from metrics.wall import working_days_late
from timebase.calendar import REPOSITORY_CALENDAR, CalendarFileError, calendar_days, read_calendar_file
from timebase.workdays import due_date, elapsed, is_working_day

FIVE_PM = dt.time(17, 0)


@pytest.fixture(autouse=True)
def no_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No secrets file and no IOC_ variable: the repository's calendar alone, unless a test sets one."""
    monkeypatch.setattr(settings, "SECRETS_FILE", tmp_path / "absent.toml")
    for env in settings.SETTINGS:
        monkeypatch.delenv(env, raising=False)
    return monkeypatch


def _due(received: str, limit: float) -> dt.datetime:
    return due_date(dt.datetime.fromisoformat(received), limit)


def _at_five(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), FIVE_PM)


def test_three_working_days_from_new_years_eve_2025_end_on_wednesday_7_january() -> None:
    # Received Wed 31/12/2025 09:00, before 15:00 on a working day: 31/12 is day 0.
    # Thu 1/1 New Year's Day, Fri 2/1 swapped off, Sat 3/1 and Sun 4/1 weekend;
    # Mon 5/1 (1), Tue 6/1 (2), Wed 7/1 (3) → due Wed 7/1/2026 17:00.
    # (The package alone counted Fri 2/1 as day 1 and ended on Tue 6/1.)
    assert _due("2025-12-31T09:00", 3) == _at_five("2026-01-07")


def test_three_working_days_from_thursday_8_january_end_on_monday_12_january() -> None:
    # Received Thu 8/1/2026 09:00: 8/1 is day 0. Fri 9/1 (1), Sat 10/1 worked for the swap (2),
    # Sun 11/1 weekend, Mon 12/1 (3) → due Mon 12/1/2026 17:00. (The package alone: Tue 13/1.)
    assert _due("2026-01-08T09:00", 3) == _at_five("2026-01-12")


def test_after_three_pm_the_clock_starts_the_next_working_day() -> None:
    # Received Wed 31/12/2025 16:00, after 15:00: day 0 is the next working day, Mon 5/1.
    # Tue 6/1 (1), Wed 7/1 (2), Thu 8/1 (3) → due Thu 8/1/2026 17:00.
    assert _due("2025-12-31T16:00", 3) == _at_five("2026-01-08")
    # Received on the swapped day off, Fri 2/1 10:00: day 0 is Mon 5/1 → 3 days end Thu 8/1.
    assert _due("2026-01-02T10:00", 3) == _at_five("2026-01-08")
    # Received on the worked Saturday 10/1 at 10:00: that day is day 0; Mon 12/1 (1), Tue 13/1 (2).
    assert _due("2026-01-10T10:00", 2) == _at_five("2026-01-13")


def test_the_swapped_saturday_is_a_working_day_and_the_swapped_friday_is_not() -> None:
    assert is_working_day(dt.date(2026, 1, 10))  # Saturday, worked
    assert not is_working_day(dt.date(2026, 1, 2))  # Friday, off
    assert not is_working_day(dt.date(2026, 1, 1))  # New Year's Day (the package)
    assert not is_working_day(dt.date(2026, 1, 17))  # an ordinary Saturday stays off
    # Processing time: received Fri 9/1 09:00 (day 0), finished Mon 12/1 → Sat 10/1 (1), Mon 12/1 (2).
    assert elapsed(dt.datetime(2026, 1, 9, 9), dt.datetime(2026, 1, 12, 10)) == 2.0
    # Received Wed 31/12/2025 09:00, finished Mon 5/1: 1/1 and 2/1 off → Mon 5/1 is day 1.
    assert elapsed(dt.datetime(2025, 12, 31, 9), dt.datetime(2026, 1, 5, 10)) == 1.0


def test_days_late_on_the_wall_count_the_worked_saturday() -> None:
    # Due Fri 9/1/2026 17:00, seen Mon 12/1 11:00: working days after the due day up to today are
    # Sat 10/1 (worked) and Mon 12/1 → 2 (the package alone said 1).
    due = pd.Series([pd.Timestamp("2026-01-09 17:00")])
    assert working_days_late(due, dt.datetime(2026, 1, 12, 11)).tolist() == [2]
    # Due Wed 31/12/2025, seen Mon 5/1: 1/1 and 2/1 off, 3/1 and 4/1 weekend → only Mon 5/1 → 1.
    due = pd.Series([pd.Timestamp("2025-12-31 17:00")])
    assert working_days_late(due, dt.datetime(2026, 1, 5, 11)).tolist() == [1]


def test_feedback_due_in_fifteen_working_days_follows_the_swap() -> None:
    # Feedback received Thu 8/1/2026 09:00 (day 0): Fri 9/1 (1), Sat 10/1 (2), 12–16/1 (3–7),
    # 19–23/1 (8–12), Mon 26/1 (13), Tue 27/1 (14), Wed 28/1 (15) → due Wed 28/1/2026 17:00.
    assert _due("2026-01-08T09:00", 15) == _at_five("2026-01-28")


def test_the_package_knows_the_rest_of_2025_and_2026() -> None:
    """What the pinned `holidays` (requirements.txt) already has, so our file need not repeat it:
    Notice 6150/TB-BLĐTBXH of 3/12/2024 (2025: Tết 27–31/1, 2/5 off for 26/4, 1–2/9) and the
    Ministry of Home Affairs' 2026 schedule (Tết 16–20/2; 31/8 off for Saturday 22/8; 1–2/9)."""
    off = ["2025-01-27", "2025-01-31", "2025-05-02", "2025-09-01", "2025-09-02", "2026-02-16", "2026-02-20"]
    off += ["2026-04-27", "2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01", "2026-09-02"]
    worked = ["2025-04-26", "2026-08-22", "2026-02-13", "2026-02-23"]
    assert [d for d in off if is_working_day(dt.date.fromisoformat(d))] == []
    assert [d for d in worked if not is_working_day(dt.date.fromisoformat(d))] == []


def test_the_repository_file_holds_only_what_the_package_lacks_each_with_its_source() -> None:
    rows = read_calendar_file(REPOSITORY_CALENDAR)
    swap = {("2026-01-02", "day_off"), ("2026-01-10", "worked")}
    assert {(r.day.isoformat(), r.kind) for r in rows} >= swap
    package = holidays.VN(years=range(2010, 2041))
    for row in rows:
        assert "/" in row.source and row.name, row  # a document number such as 12729/VPCP-KGVX
        # A line the package already agrees with is noise (and hides a package upgrade): drop it.
        assert package.is_working_day(row.day) != row.working, f"the package already has {row}"


def _write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(["date,kind,name,source", *lines]) + "\n", encoding="utf-8")
    return path


def test_a_deployment_day_off_moves_a_due_date(no_settings: pytest.MonkeyPatch, tmp_path: Path) -> None:
    own = _write(tmp_path / "province.csv", "2026-01-06,day_off,Ngày nghỉ của tỉnh,Quyết định 1/QĐ-UBND")
    no_settings.setenv("IOC_CALENDAR_FILE", str(own))
    assert settings.problems() == []
    # From Wed 31/12/2025 09:00: Mon 5/1 (1), Tue 6/1 now off, Wed 7/1 (2), Thu 8/1 (3) → Thu 8/1.
    assert _due("2025-12-31T09:00", 3) == _at_five("2026-01-08")
    assert not is_working_day(dt.date(2026, 1, 6))
    assert is_working_day(dt.date(2026, 1, 10))  # the repository's rows still hold
    no_settings.delenv("IOC_CALENDAR_FILE")
    assert _due("2025-12-31T09:00", 3) == _at_five("2026-01-07")  # and without it, as before


def test_the_deployment_row_wins_on_a_date_both_files_name(
    no_settings: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    own = _write(tmp_path / "own.csv", "2026-01-10,day_off,Không làm bù,Quyết định 2/QĐ-UBND")
    assert calendar_days(own)[dt.date(2026, 1, 10)].kind == "day_off"
    no_settings.setenv("IOC_CALENDAR_FILE", str(own))
    # From Thu 8/1 09:00 with Saturday 10/1 off again: Fri 9/1 (1), Mon 12/1 (2), Tue 13/1 (3).
    assert _due("2026-01-08T09:00", 3) == _at_five("2026-01-13")


BROKEN = [
    # (file lines after the header, line named, words of the Vietnamese reason)
    (["2026-02-30,day_off,Ngày lạ,QĐ 1/QĐ-UBND"], 2, "ngày '2026-02-30' không hợp lệ"),
    (["06/01/2026,day_off,Ngày nghỉ,QĐ 1/QĐ-UBND"], 2, "cần dạng YYYY-MM-DD"),
    (["2026-01-06,holiday,Ngày nghỉ,QĐ 1/QĐ-UBND"], 2, "loại 'holiday' không hợp lệ"),
    (["2026-01-05,worked,Làm bù,QĐ 1/QĐ-UBND", "2026-01-06,day_off,Ngày nghỉ,"], 3, "thiếu văn bản nguồn"),
    (["2026-01-06,day_off,Nghỉ, có dấu phẩy,QĐ 1/QĐ-UBND"], 2, "nhiều cột hơn tiêu đề"),
    (["2026-01-06,day_off,A,QĐ 1", "2026-01-06,worked,B,QĐ 2"], 3, "ngày 06/01/2026 đã có ở dòng 2"),
    (["2099-01-06,day_off,Xa,QĐ 1/QĐ-UBND"], 2, "ngoài khoảng 2010–2040"),
]


@pytest.mark.parametrize(("lines", "line", "vi"), BROKEN)
def test_a_malformed_file_is_a_clear_message_vietnamese_first(
    no_settings: pytest.MonkeyPatch, tmp_path: Path, lines: list[str], line: int, vi: str
) -> None:
    bad = _write(tmp_path / "bad.csv", *lines)
    with pytest.raises(CalendarFileError) as caught:
        read_calendar_file(bad)
    message = str(caught.value)
    assert message.startswith(f"Tệp lịch {bad}, dòng {line}: ")
    assert vi in message
    assert f"— Calendar file {bad}, line {line}: " in message  # then English
    assert "\n" not in message
    # As a setting: reported once, left out, the repository's calendar still counts.
    no_settings.setenv("IOC_CALENDAR_FILE", str(bad))
    [problem] = settings.problems()
    assert (problem.env, problem.reason, problem.detail) == ("IOC_CALENDAR_FILE", "not_a_calendar", message)
    assert settings.get("IOC_CALENDAR_FILE") == ""
    assert _due("2025-12-31T09:00", 3) == _at_five("2026-01-07")


def test_a_missing_file_or_a_wrong_header_says_so(tmp_path: Path) -> None:
    with pytest.raises(CalendarFileError, match=r"^Tệp lịch .*absent.csv: không đọc được"):
        read_calendar_file(tmp_path / "absent.csv")
    header = tmp_path / "header.csv"
    header.write_text("ngay,loai\n2026-01-06,day_off\n", encoding="utf-8")
    with pytest.raises(CalendarFileError, match=r"dòng 1: thiếu cột date, kind, name, source"):
        read_calendar_file(header)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("date,kind,name,source\n2026-01-06,day_off,Ngày,QĐ\n".encode("cp1258"))
    with pytest.raises(CalendarFileError, match="không phải văn bản UTF-8"):
        read_calendar_file(latin)


def test_the_command_line_warns_without_a_traceback(
    no_settings: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _write(tmp_path / "bad.csv", "2026-13-01,day_off,Ngày,QĐ 1/QĐ-UBND")
    no_settings.setenv("IOC_CALENDAR_FILE", str(bad))
    url = "postgresql+psycopg://ioc:s3cr@t:x/y@127.0.0.1:5432/tthc"  # unreadable: stops there
    assert cli.main(["check", "--database", url]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"Tệp lịch {bad}, dòng 2: ngày '2026-13-01' không hợp lệ" in err


def test_the_dashboard_shows_a_bad_calendar_once_in_vietnamese_and_still_draws(
    no_settings: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.builders import build
    from tests.test_app_overview import ROWS

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    build(url, ROWS).dispose()
    bad = _write(tmp_path / "bad.csv", "2026-01-06,nghỉ,Ngày nghỉ,QĐ 1/QĐ-UBND")
    no_settings.setenv("IOC_DATABASE_URL", url)
    no_settings.setenv("IOC_NOW", "2026-11-23T10:00:00")
    no_settings.setenv("IOC_CALENDAR_FILE", str(bad))
    at = AppTest.from_file(str(Path(settings.PROJECT_ROOT) / "app.py"), default_timeout=60).run()
    assert not at.exception
    [warning] = [w.value for w in at.warning if "IOC_CALENDAR_FILE" in w.value]
    assert "tệp lịch không đọc được hoặc sai định dạng" in warning
    assert "`timebase/calendar_vn.csv`" in warning
    assert at.metric  # the screen itself still draws
