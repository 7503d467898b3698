"""Alerts delivered to a real SMTP server (aiosmtpd) and a real HTTP receiver, both started here on
localhost: one message per rule and unit when it starts and when it ends, never a repeat; a
message the receiver could not take is kept in the database and re-sent after the back-off.

Data: tests/test_outlook.py's hand case, Monday 23/11/2026 10:00. District 100's on-time rate is
4/6 ≈ 66,7 % (below the rule's 70 %), district 200's 80 %. Due on the next working day (Wednesday
25/11; 24/11 is off): o1 at agency X-101 (z1 was returned since, y3 waits for a supplement).
"""

from __future__ import annotations

import datetime as dt
import email
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update

import cli
from alerts.watch import backoff, run_once
from data_access import alerts as store
from data_access.engine import make_engine
from data_access.schema import dossiers
from metrics.alerts import AlertRuleError, read_rules
from tests.builders import build
from tests.conftest import pg_schema_url
from tests.test_outlook import NOW, ROWS, TARGETS

RULES = """name,metric,level,threshold,direction,channels,label
on_time_low,on_time_rate,district,0.7,below,mailto:ubnd@example.vn {hook},Tỷ lệ đúng hạn dưới 70%
due_tomorrow,due_tomorrow,agency,0,above,{hook},Hồ sơ đến hạn ngày làm việc kế tiếp
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def mailbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Mailbox]:
    box, port = _Mailbox(), _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("IOC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("IOC_SMTP_PORT", str(port))
    monkeypatch.setenv("IOC_SMTP_STARTTLS", "false")
    monkeypatch.setenv("IOC_MAIL_FROM", "ioc@example.vn")
    yield box
    controller.stop()


class _Receiver:
    """An HTTP receiver on a fixed port, started and stopped by the test."""

    def __init__(self) -> None:
        self.port, self.bodies, self.server = _free_port(), [], None
        self.url = f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        bodies = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    found = _Receiver()
    yield found
    found.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        target = f"sqlite:///{tmp_path / 'db.sqlite'}"
        build(target, ROWS, target_rows=TARGETS).dispose()
        yield target
    else:
        for target in pg_schema_url():
            build(target, ROWS, target_rows=TARGETS).dispose()
            yield target


def test_alerts_start_once_survive_a_receiver_down_and_end_once(
    url: str,
    mailbox: _Mailbox,
    receiver: _Receiver,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rules_file = tmp_path / "rules.csv"
    rules_file.write_text(RULES.format(hook=receiver.url), encoding="utf-8")
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    # 1. The webhook is down: the mail goes, the two posts are kept.
    assert cli.main(["watch", "--database", url, "--rules", str(rules_file), "--once"]) == 0
    assert capsys.readouterr().out == "started 2, ended 0, sent 1, failed 2\n"
    [mail] = mailbox.messages
    assert mail["Subject"] == "[IOC] Cảnh báo: Tỷ lệ đúng hạn dưới 70% — Huyện Một"
    assert "Giá trị: 66,7%, dưới ngưỡng 70,0%." in mail.get_content()
    assert cli.main(["watch", "--database", url, "--status"]) == 0
    status = capsys.readouterr().out.splitlines()
    assert status[-1] == "2 message(s) pending"
    assert sum(line.startswith("pending\t") and "Connection refused" in line for line in status) == 2
    engine = make_engine(url, read_only=False)
    rules = read_rules(rules_file)
    # 2. Thirty seconds later: nothing starts again, nothing is due for a retry yet.
    done = run_once(engine, rules, NOW + dt.timedelta(seconds=30))
    assert (done.started, done.sent, done.failed) == (0, 0, 0)
    # 3. The receiver is back; after the back-off (a minute) both posts arrive.
    receiver.start()
    done = run_once(engine, rules, NOW + backoff(1) + dt.timedelta(seconds=30))
    assert (done.started, done.sent, done.failed) == (0, 2, 0)
    assert sorted((b["rule"], b["unit_code"], b["kind"]) for b in receiver.bodies) == [
        ("due_tomorrow", "X-101", "start"),
        ("on_time_low", "100", "start"),
    ]
    assert all(b["subject"].startswith("[IOC] Cảnh báo: ") for b in receiver.bodies)
    assert store.pending(engine).empty
    # 4. o1 is finished at 10:02: nothing is due on Wednesday at X-101 any more → one end message.
    with engine.begin() as conn:
        finished = dict(status="returned", finished_at=NOW + dt.timedelta(minutes=2))
        conn.execute(update(dossiers).where(dossiers.c.dossier_code == "o1").values(**finished))
    done = run_once(engine, rules, NOW + dt.timedelta(minutes=3))
    assert (done.started, done.ended, done.sent) == (0, 1, 1)
    assert receiver.bodies[-1]["kind"] == "end"
    assert (
        receiver.bodies[-1]["subject"]
        == "[IOC] Hết cảnh báo: Hồ sơ đến hạn ngày làm việc kế tiếp — Một cửa Xã Một A"
    )
    # 5. And no storm: evaluated again, nothing new is sent anywhere.
    done = run_once(engine, rules, NOW + dt.timedelta(minutes=4))
    assert (done.started, done.ended, done.sent, done.failed) == (0, 0, 0, 0)
    assert len(receiver.bodies) == 3 and len(mailbox.messages) == 1
    assert list(store.active_frame(engine)["rule"]) == ["on_time_low"]
    engine.dispose()


def test_backoff_doubles_to_an_hour() -> None:
    assert [backoff(n).total_seconds() / 60 for n in (1, 2, 3, 7, 8, 20)] == [1, 2, 4, 60, 60, 60]


def test_bad_rules_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "rules.csv"
    bad.write_text(
        "name,metric,level,threshold,direction,channels,label\nx,speed,district,1,below,mailto:a@b,\n"
    )
    with pytest.raises(AlertRuleError, match="line 2: unknown metric 'speed'"):
        read_rules(bad)
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    build(url, ROWS).dispose()
    assert cli.main(["watch", "--database", url, "--rules", str(bad), "--once"]) == 2
    assert "line 2: unknown metric 'speed'" in capsys.readouterr().err


def test_an_overdue_share_rule_fires_on_the_registry_metric() -> None:
    from metrics.alerts import AlertRule, firing
    from metrics.compute import compute

    # A: 3 of 10 open dossiers past due = 30 % > 20 % → fires; B: 1 of 10 = 10 % → quiet;
    # C: nothing open → N/A, never fires.
    counters = pd.DataFrame(
        {
            "unit_code": ["A", "B", "C"],
            "unit_name": ["Xã A", "Xã B", "Xã C"],
            "open_overdue": [3, 1, 0],
            "open_end": [10, 10, 0],
        }
    )
    rule = AlertRule("overdue", "overdue_share", "commune", "0.2", "above", ("https://x.invalid",), "Quá hạn")
    fired = firing(rule, compute(counters), pd.DataFrame(), 2026)
    assert [(f.unit_code, f.value) for f in fired] == [("A", pytest.approx(0.3))]
