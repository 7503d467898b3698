"""Pages as people feel them: every screen's link and every widget change, timed in a browser.

    python -m bench.pages [--out bench/results/pages-YYYY-MM-DD.json] [--only map,ranking]
                          [--database URL] [--port N]

Starts ``streamlit run app.py`` on a free port against the embedded sample (built first, as the
app would on its first start, when it is missing or an earlier version made it), with the clock
frozen at the sample's own "now" (``IOC_NOW`` = its ``data_until``) so that two runs on the same
sample show the same figures. Debian's Chromium (headless, 1600×1000, ``bench.page_probe``)
then opens the overview once (the cold start: the server's first run), and for each screen of
``bench.page_plan``: empties the server's caches, opens the link in a fresh browser context
(**first** visit), opens it again (**warm**, second visit), and makes its widget changes. Each
measurement is timed from the navigation or the user's press until Streamlit's run is over and
the page is drawn, and carries the server's CPU seconds meanwhile and the load average: on a
shared machine the wall-clock times follow the other work, the CPU the server needed much less.

Writes the JSON and a Markdown table beside it (``.md``) with the targets of issue 23 and a
verdict for each row. Not part of the test run; about 4 minutes on a quiet 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import page_probe as probe
from bench.page_plan import SCREENS, Change, Screen

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
#: Issue 23, item 4 (seconds): warm visit, median of warm visits, first visit, a widget change.
TARGETS = {"warm": 2.0, "warm_median": 1.0, "first": 3.0, "change": 1.0}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare_sample(database: str | None) -> tuple[str, str]:
    """The database URL and its "now": the embedded sample (built if missing or outdated) unless
    ``database`` is given."""
    import settings
    from data_access.queries import database_meta, make_engine

    url = database or settings.database_url()
    if database is None and settings.uses_embedded_sample():
        from sample_data.generate import build_sample, sample_is_current

        if not (settings.SAMPLE_DATABASE.exists() and sample_is_current(url)):
            settings.SAMPLE_DATABASE.parent.mkdir(parents=True, exist_ok=True)
            print(build_sample(url), flush=True)
    engine = make_engine(url)
    try:
        now = database_meta(engine).get("data_until") or dt.datetime.now().isoformat(timespec="seconds")
    finally:
        engine.dispose()
    return url, now


def start_server(url: str, now: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    """``streamlit run app.py`` as docs/operations.md runs it, on ``url`` with the clock at ``now``."""
    env = dict(os.environ, IOC_DATABASE_URL=url, IOC_NOW=now, IOC_LANGUAGE="vi", MALLOC_ARENA_MAX="2")
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--server.fileWatcherType", "none"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def _wait_healthy(port: int, server: subprocess.Popen[bytes], timeout: float = 120) -> float:
    from ops.soak import wait_healthy

    return wait_healthy(port, timeout, server)


def _row(screen: Screen, what: str, role: str, timed: probe.Timed) -> dict[str, Any]:
    print(
        f"  {screen.url} {what} {role}: {timed.seconds} s, server CPU {timed.cpu} s, browser CPU "
        f"{timed.browser_cpu} s {timed.error or ''}",
        flush=True,
    )
    return dict(
        screen=screen.name,
        url=screen.url,
        what=what,
        role=role,
        seconds=timed.seconds,
        cpu=timed.cpu,
        browser_cpu=timed.browser_cpu,
        load1=timed.load1,
        error=timed.error,
    )


def _action(change: Change, shown: dict[str, str], page: Any) -> Any:
    if change.kind == "select":
        shown[change.key] = probe.selected_text(page, change.key)
        return probe.select_option(change.key, change.index)
    if change.kind == "back":
        return probe.pick_text(change.key, shown[change.key])
    if change.kind == "radio":
        return probe.radio(change.key, change.index)
    if change.kind == "button":
        return probe.button(change.key)
    return probe.map_centre


def measure_screen(browser: Any, base: str, port: int, pid: int, screen: Screen) -> list[dict[str, Any]]:
    """Fresh caches, the first and the warm visit, then each change of the screen."""
    probe.clear_caches(port)
    page = probe.new_page(browser)
    rows = [_row(screen, "visit", "first", probe.visit(page, base + screen.url, pid))]
    rows.append(_row(screen, "visit", "warm", probe.visit(page, base + screen.url, pid)))
    shown: dict[str, str] = {}
    for change in screen.changes:
        try:
            action = _action(change, shown, page)
        except Exception as exc:  # the widget is not there: a result, not the end of the run
            failed = probe.Timed(None, 0.0, probe.load_average(), probe.short_error(exc))
            rows.append(_row(screen, change.name, change.role, failed))
            continue
        rows.append(_row(screen, change.name, change.role, probe.act(page, pid, action)))
    page.context.close()
    return rows


def run(args: argparse.Namespace) -> dict[str, Any]:
    """The whole benchmark; its results as a dict."""
    from playwright.sync_api import sync_playwright

    url, now = prepare_sample(args.database)
    port = args.port or _free_port()
    base = f"http://127.0.0.1:{port}"
    log = Path(tempfile.mkdtemp(prefix="ioc-pages-")) / "server.log"
    screens = [s for s in SCREENS if not args.only or s.name.split(" ")[0] in args.only]
    started, load_start = time.monotonic(), os.getloadavg()
    server = start_server(url, now, port, log)
    try:
        health = _wait_healthy(port, server)
        with sync_playwright() as playwright:
            browser = probe.launch(playwright)
            page = probe.new_page(browser)
            cold = probe.visit(page, base + "/", server.pid)
            page.context.close()
            rows = [_row(Screen("cold start", "/"), "visit", "cold", cold)]
            for screen in screens:
                rows += measure_screen(browser, base, port, server.pid, screen)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    errors = [line for line in log.read_text(errors="replace").splitlines() if "Traceback" in line]
    return dict(
        when=dt.datetime.now().isoformat(timespec="seconds"),
        commit=_commit(),
        database=url.rsplit("/", 1)[-1],
        now=now,
        cores=os.cpu_count(),
        health_s=round(health, 2),
        minutes=round((time.monotonic() - started) / 60, 1),
        load_start=[round(v, 2) for v in load_start],
        load_end=[round(v, 2) for v in os.getloadavg()],
        server_tracebacks=len(errors),
        targets=TARGETS,
        rows=rows,
    )


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    # Tracked files only: an earlier run's results, not yet committed, change no code.
    git_status = ["git", "status", "--porcelain", "--untracked-files=no"]
    dirty = subprocess.run(git_status, cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__.split("\n\n")[0])
    default = RESULTS / f"pages-{dt.date.today().isoformat()}.json"
    parser.add_argument("--out", type=Path, default=default, help="JSON file; the .md goes beside it")
    parser.add_argument(
        "--only", type=lambda s: set(s.split(",")), default=None, help="screens, e.g. map,ranking"
    )
    parser.add_argument("--database", default=None, help="SQLAlchemy URL (default: the embedded sample)")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run, write the JSON and the Markdown, print the table."""
    from bench.page_report import markdown

    args = parse(argv)
    result = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    text = markdown(result)
    args.out.with_suffix(".md").write_text(text)
    print(text)
    return result


if __name__ == "__main__":
    main()
