"""The morning briefing: its pages and figures on the press seed (worked out by hand in
``tests/press_seed.py``), the overdue list on the Biểu 06 seed, and its mail delivered to a real
SMTP server on localhost (aiosmtpd), the attachment read back; a refused connection, a refused
login and a server without STARTTLS are reported with their reason and a non-zero exit."""

from __future__ import annotations

import datetime as dt
import io
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pypdf import PdfReader

import cli
import settings
from data_access.engine import make_engine
from exports.briefing import briefing_period, build_briefing
from exports.mail import MailError, MailSettings, message, send
from tests import form06_seed, press_seed

MORNING = "2026-11-01T07:00:00"  # the month to yesterday: October 2026, judged at 31/10 23:59:59


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> str:
    return press_seed.seed(f"sqlite:///{tmp_path_factory.mktemp('brief') / 'press.sqlite'}")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.setattr(settings, "SECRETS_FILE", tmp_path / "absent.toml")
    for env in settings.SETTINGS:
        monkeypatch.delenv(env, raising=False)
    monkeypatch.setenv("IOC_NOW", MORNING)
    return monkeypatch


def test_periods_end_with_yesterday() -> None:
    now = dt.datetime(2026, 11, 23, 7)
    assert (briefing_period("yesterday", now).start, briefing_period("yesterday", now).end) == (
        dt.date(2026, 11, 22),
        dt.date(2026, 11, 22),
    )
    assert briefing_period("week", now).start == dt.date(2026, 11, 16)
    month = briefing_period("month", now)
    assert (month.start, month.as_of) == (dt.date(2026, 11, 1), dt.datetime(2026, 11, 22, 23, 59, 59))


def _pages(path: Path) -> list[str]:
    reader = PdfReader(path)
    assert all([round(float(x)) for x in p.mediabox] == [0, 0, 595, 842] for p in reader.pages)  # A4
    return [p.extract_text() for p in reader.pages]


def test_briefing_pages_and_figures(seeded: str, clock: pytest.MonkeyPatch, tmp_path: Path, capsys) -> None:
    assert cli.main(["briefing", "--database", seeded, "--out", str(tmp_path)]) == 0
    path = tmp_path / "ban-tin_2026-11-01_du-lieu-mau.pdf"
    assert capsys.readouterr().out.strip() == str(path)
    first, second, third = _pages(path)
    for text in (
        "BẢN TIN SÁNG",
        "Ngày 01/11/2026",
        "Số liệu: từ 01/10/2026 đến 31/10/2026",
        "Dữ liệu đến 23:59 31/10/2026",
        "Dữ liệu mẫu",
        "93,6%",  # province on time 44/47
        "68,1%",  # online 32/47
        "Mục tiêu ≥ 98,0%",
    ):
        assert text in first, text
    # District 100: 19 handled, 16 on time → 3 late, all of the province's 3 → 100%, 84,2%;
    # district 200 and department S-1 have no late dossier and are not listed.
    assert "Huyện Một Cấp huyện 3 100,0% 84,2%" in first
    assert "Huyện Hai Cấp huyện" not in first
    assert "Không có hồ sơ nào đang quá hạn." in second  # every seeded dossier is finished
    assert "12 tháng" in second and "100,0%" in second  # the trend: September 6/6
    assert "Huyện Một" in third and "Huyện Hai" in third and "84,2%" in third  # the ranking
    assert "trang 3/3" in third


def test_overdue_list(tmp_path: Path) -> None:
    url = form06_seed.seed(f"sqlite:///{tmp_path / 'f06.sqlite'}")
    briefing = build_briefing(make_engine(url), "month", dt.datetime(2026, 11, 1, 7))
    # Open past due at 31/10 23:59:59: c3 (Xã Một A, due 03/10) before b2 (Huyện Một, due 25/10).
    rows = briefing.overdue[["unit_name", "procedure_name", "overdue"]].values.tolist()
    assert rows == [["Xã Một A", "Đăng ký đất đai", 1], ["Huyện Một", "Cấp giấy phép xây dựng", 1]]
    assert not briefing.overdue_cut


# --- Mail ------------------------------------------------------------------------------------


class Inbox:
    """An aiosmtpd handler keeping what it is sent."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _login(server, session, envelope, mechanism, data) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"ioc", b"bi-mat")
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=_login, auth_require_tls=False
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _configure(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    for env, value in {
        "IOC_SMTP_HOST": "127.0.0.1",
        "IOC_SMTP_PORT": str(port),
        "IOC_SMTP_STARTTLS": "false",
        "IOC_SMTP_USER": "ioc",
        "IOC_SMTP_PASSWORD": "bi-mat",
        "IOC_MAIL_FROM": "ioc@thu.gov.vn",
        "IOC_MAIL_TO": "chu.tich@thu.gov.vn, vp@thu.gov.vn",
    }.items():
        monkeypatch.setenv(env, value)


def test_mail_delivered_with_the_pdf(
    seeded: str, clock: pytest.MonkeyPatch, smtp_server, tmp_path: Path, capsys
) -> None:
    inbox, port = smtp_server
    _configure(clock, port)
    assert cli.main(["briefing", "--database", seeded, "--out", str(tmp_path), "--mail"]) == 0
    assert "đã gửi thư tới 2 người nhận" in capsys.readouterr().out
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "ioc@thu.gov.vn"
    assert envelope.rcpt_tos == ["chu.tich@thu.gov.vn", "vp@thu.gov.vn"]
    mail = message_from_bytes(envelope.content)
    subject = str(make_header(decode_header(mail["Subject"])))
    assert subject == "Bản tin sáng 01/11/2026: tỷ lệ đúng hạn 93,6% — Tỉnh Thử"
    body, attachment = [p for p in mail.walk() if not p.is_multipart()]
    assert "Tỷ lệ hồ sơ đúng hạn: 93,6%" in body.get_payload(decode=True).decode("utf-8")
    written = tmp_path / "ban-tin_2026-11-01_du-lieu-mau.pdf"
    assert attachment.get_content_type() == "application/pdf" and attachment.get_filename() == written.name
    data = attachment.get_payload(decode=True)
    assert data == written.read_bytes()
    assert len(PdfReader(io.BytesIO(data)).pages) == 3


def test_refused_connection_is_reported_and_the_pdf_kept(
    seeded: str, clock: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _configure(clock, _free_port())  # nothing listens there
    assert cli.main(["briefing", "--database", seeded, "--out", str(tmp_path), "--mail"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: không gửi được thư: 127.0.0.1:") and "refused" in err
    assert (tmp_path / "ban-tin_2026-11-01_du-lieu-mau.pdf").exists()


def test_mail_not_configured(seeded: str, clock: pytest.MonkeyPatch, tmp_path: Path, capsys) -> None:
    assert cli.main(["briefing", "--database", seeded, "--out", str(tmp_path), "--mail"]) == 2
    assert "chưa cấu hình gửi thư" in capsys.readouterr().err


def _settings(port: int, **kw: object) -> MailSettings:
    base = dict(host="127.0.0.1", port=port, starttls=False, user="ioc", password="bi-mat")
    return MailSettings(**{**base, **kw, "sender": "ioc@thu.gov.vn", "recipients": ("a@thu.gov.vn",)})  # type: ignore[arg-type]


def test_a_refused_login_and_a_missing_starttls_say_why(smtp_server) -> None:
    inbox, port = smtp_server
    conf = _settings(port, password="sai")
    with pytest.raises(MailError, match="535"):
        send(conf, message(conf, "Thử", "Nội dung", b"%PDF-1.4", "x.pdf"))
    conf = _settings(port, starttls=True)
    with pytest.raises(MailError, match="STARTTLS"):
        send(conf, message(conf, "Thử", "Nội dung", b"%PDF-1.4", "x.pdf"))
    assert inbox.envelopes == []
