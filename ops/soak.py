"""Soak run: days on the wall, compressed. Not part of the test run.

    python -m ops.soak --minutes 30 [--rotate 10] [--reload-minutes 5] [--port 8599]
                       [--server-env KEY=VALUE ...] [--name latest]

Copies the sample database to a temporary folder, starts ``cli.py simulate`` on the copy (new
dossiers, completions, ratings) and ``streamlit run app.py`` against it, opens the kiosk URL in
headless Chromium (Debian's /usr/bin/chromium through Playwright) and, every minute, records the
server's resident memory, the browser's (JS heap and processes), the server's active sessions
(``/_stcore/metrics``), the screen on the wall and the reloads seen. At the end it reports the
slope of the server's memory (MB per hour, least squares, over the whole run and over its second
half) and of the part outside SQLite's page caches (the server logs where its memory is every
minute during a soak: ``IOC_MEMORY_LOG_MINUTES=1``, ``ui/memory.py``), whether sessions
accumulated, and whether the rotation survived the periodic full reloads;
figures go to ops/results/soak-NAME.json and .md (two runs side by side, e.g. one with
``--server-env IOC_MALLOC_TRIM_SECONDS=0``, compare a setting on the same machine at the same
time). The server runs as the run command of docs/operations.md starts it, with ``MALLOC_ARENA_MAX=2``;
``--server-env MALLOC_ARENA_MAX=`` runs it on glibc's default. Traffic stays on 127.0.0.1; the
run stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "ops" / "results"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total / 1024


def chromium_rss_mb() -> float:
    """Resident memory of every Chromium process on the machine, in MB (run the soak alone)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if "chrom" in (entry / "comm").read_text():
                    total += _own_rss(int(entry.name))
            except OSError:
                continue
    return total


def _own_rss(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")) / 1024
    except (OSError, StopIteration):
        return 0.0


def active_sessions(port: int) -> int | None:
    """Active sessions the server reports on /_stcore/metrics (None if it does not say)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/metrics", timeout=5) as resp:
            text = resp.read().decode()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("active_sessions") and not line.startswith("#"):
            return int(float(line.split()[-1]))
    return None


def wait_healthy(port: int, timeout: float = 60, server: subprocess.Popen[bytes] | None = None) -> float:
    """Seconds until /_stcore/health answers ok; raises if ``server`` exits or it never answers."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if server is not None and server.poll() is not None:
            raise RuntimeError(f"the dashboard exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return time.monotonic() - start
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the dashboard did not start")


def slope_per_hour(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) samples, in MB per hour."""
    n = len(samples)
    if n < 2:
        return 0.0
    mx = sum(t for t, _ in samples) / n
    my = sum(v for _, v in samples) / n
    var = sum((t - mx) ** 2 for t, _ in samples)
    return 0.0 if var == 0 else sum((t - mx) * (v - my) for t, v in samples) / var * 3600


def prepare_database(work: Path) -> str:
    """A copy of the embedded sample (built if missing) for the simulator to write into."""
    sample = ROOT / "data" / "ioc_sample.sqlite"
    if not sample.exists():
        subprocess.run([sys.executable, "cli.py", "sample"], cwd=ROOT, check=True)
    target = work / "soak.sqlite"
    shutil.copy(sample, target)
    return f"sqlite:///{target}"


def _server_settings(given: list[str]) -> dict[str, str]:
    """The server's own settings: ``MALLOC_ARENA_MAX=2`` as the run command of docs/operations.md starts it,
    then each KEY=VALUE given; an empty value (``MALLOC_ARENA_MAX=``) unsets the key, so glibc
    uses its own default.
    """
    return {"MALLOC_ARENA_MAX": "2", **dict(item.split("=", 1) for item in given)}


def run(args: argparse.Namespace) -> dict:
    """Do the soak run and return its figures."""
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="ioc-soak-"))
    url = prepare_database(work)
    env = dict(
        os.environ,
        IOC_DATABASE_URL=url,
        IOC_ROTATE_SECONDS=str(args.rotate),
        IOC_RELOAD_MINUTES=str(args.reload_minutes),
        IOC_REFRESH_SECONDS=str(args.refresh),
        IOC_MEMORY_LOG_MINUTES="1",
    )
    settings = _server_settings(args.server_env)
    server_env = {k: v for k, v in dict(env, **settings).items() if v or k not in settings}
    sim = subprocess.Popen(
        [
            sys.executable,
            "cli.py",
            "simulate",
            "--database",
            url,
            "--minutes",
            str(args.minutes + 2),
            "--interval",
            "5",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server_log = (work / "server.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(args.port),
            "--server.fileWatcherType",  # as on a wall server: code is not edited under it
            "none",
        ],
        cwd=ROOT,
        env=server_env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    samples: list[dict] = []
    loads, foreign = 0, set()
    try:
        start_s = wait_healthy(args.port)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})

            def on_request(request: object) -> None:
                host = request.url.split("/")[2] if "://" in request.url else ""  # type: ignore[attr-defined]
                if host and not host.startswith(("127.0.0.1", "localhost")):
                    foreign.add(host)

            def on_load(_: object) -> None:
                nonlocal loads
                loads += 1

            page.on("request", on_request)
            page.on("load", on_load)
            page.goto(f"http://127.0.0.1:{args.port}/?kiosk=1&rotate={args.rotate}&screens={args.screens}")
            t0 = time.monotonic()
            screens_seen: set[str] = set()
            while time.monotonic() - t0 < args.minutes * 60:
                time.sleep(min(args.sample_seconds, max(0.0, args.minutes * 60 - (time.monotonic() - t0))))
                path = page.url.split("?")[0].rsplit("/", 1)[-1] or "overview"
                screens_seen.add(path)
                heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0")
                inside = last_memory_line(work / "server.log")
                samples.append(
                    dict(
                        t=round(time.monotonic() - t0, 1),
                        server_mb=round(rss_mb(server.pid), 1),
                        browser_heap_mb=round(heap / 2**20, 1),
                        chromium_mb=round(chromium_rss_mb(), 1),
                        sessions=active_sessions(args.port),
                        logged_rss_mb=inside.get("rss_mb"),
                        heap_used_mb=inside.get("heap_used_mb"),
                        heap_free_mb=inside.get("heap_free_mb"),
                        sqlite_mb=inside.get("sqlite_mb"),
                        python_blocks=inside.get("python_blocks"),
                        threads=inside.get("threads"),
                        screen=path,
                        loads=loads,
                    )
                )
                print(json.dumps(samples[-1]), flush=True)
            browser.close()
    finally:
        for proc in (server, sim):
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        server_log.close()
        shutil.rmtree(work, ignore_errors=True)
    server_series = [(s["t"], s["server_mb"]) for s in samples]
    second_half = server_series[len(server_series) // 2 :]
    # The server's own line: its resident memory and SQLite's share, read at the same moment.
    logged = [s for s in samples if s.get("sqlite_mb") is not None and s.get("logged_rss_mb")]
    outside = [(s["t"], s["logged_rss_mb"] - s["sqlite_mb"]) for s in logged]
    heap = [s for s in logged if s.get("heap_used_mb") is not None]
    sqlite = [(s["t"], s["sqlite_mb"]) for s in samples if s.get("sqlite_mb") is not None]
    return dict(
        name=args.name,
        server_env=[f"{k}={v}" for k, v in _server_settings(args.server_env).items() if v],
        minutes=args.minutes,
        rotate_seconds=args.rotate,
        reload_minutes=args.reload_minutes,
        start_to_health_s=round(start_s, 2),
        samples=samples,
        server_mb_first=samples[0]["server_mb"] if samples else None,
        server_mb_last=samples[-1]["server_mb"] if samples else None,
        server_slope_mb_per_hour=round(slope_per_hour(server_series), 2),
        server_slope_second_half_mb_per_hour=round(slope_per_hour(second_half), 2),
        server_mb_min_median_max=min_median_max([v for _, v in server_series]),
        server_mb_first10_last10=first_last(server_series),
        sqlite_mb_first10_last10=first_last(sqlite),
        outside_sqlite_mb_first10_last10=first_last(outside),
        outside_sqlite_slope_mb_per_hour=round(slope_per_hour(outside), 2),
        outside_sqlite_slope_second_half_mb_per_hour=round(slope_per_hour(outside[len(outside) // 2 :]), 2),
        python_blocks_first10_last10=first_last([(s["t"], s["python_blocks"]) for s in logged]),
        heap_used_mb_first10_last10=first_last(
            [(s["t"], s["heap_used_mb"]) for s in logged if s.get("heap_used_mb")]
        ),
        heap_free_mb_first10_last10=first_last(
            [(s["t"], s["heap_free_mb"]) for s in logged if s.get("heap_used_mb")]
        ),
        max_sessions=max((s["sessions"] or 0) for s in samples) if samples else None,
        page_loads=loads,
        screens_seen=sorted({s["screen"] for s in samples}),
        foreign_hosts=sorted(foreign),
    )


def last_memory_line(log: Path) -> dict[str, float]:
    """The figures of the server's latest ``memory:`` log line (empty if none yet)."""
    from ui.memory import parse_snapshot

    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return {}
    for line in reversed(lines):
        found = parse_snapshot(line)
        if found:
            return found
    return {}


def first_last(series: list[tuple[float, float]], n: int = 10) -> list[float] | None:
    """Median of the first ``n`` and of the last ``n`` values of a series."""
    if not series:
        return None
    first = sorted(v for _, v in series[:n])
    last = sorted(v for _, v in series[-n:])
    return [round(first[len(first) // 2], 1), round(last[len(last) // 2], 1)]


def min_median_max(values: list[float]) -> list[float] | None:
    """Min, median and max."""
    if not values:
        return None
    ordered = sorted(values)
    return [ordered[0], ordered[len(ordered) // 2], ordered[-1]]


def arrow(result: dict, figure: str) -> str:
    """A figure's first-10 and last-10 medians as "a → b" (n/a when not measured)."""
    pair = result.get(f"{figure}_first10_last10")
    return "n/a" if not pair else f"{pair[0]:g} → {pair[1]:g}"


def write(result: dict) -> Path:
    """ops/results/soak-NAME.json and .md; returns the .md."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = result["name"]
    (RESULTS / f"soak-{name}.json").write_text(json.dumps(result, indent=2))
    settings = ", ".join(result["server_env"]) or "defaults"
    spread = " / ".join(map(str, result["server_mb_min_median_max"] or []))
    lines = [
        f"Soak run: {result['minutes']} min, rotation every {result['rotate_seconds']} s, full reload every "
        f"{result['reload_minutes']} min; server settings: {settings}.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| server memory first → last | {result['server_mb_first']} → {result['server_mb_last']} MB |",
        f"| server memory min / median / max | {spread} MB |",
        f"| server memory slope, whole run | {result['server_slope_mb_per_hour']} MB/hour |",
        f"| server memory slope, second half | {result['server_slope_second_half_mb_per_hour']} MB/hour |",
        f"| server memory, median of first 10 → last 10 samples | {arrow(result, 'server_mb')} MB |",
        f"| of which SQLite's page caches, first 10 → last 10 | {arrow(result, 'sqlite_mb')} MB |",
        f"| outside SQLite, first 10 → last 10 | {arrow(result, 'outside_sqlite_mb')} MB |",
        f"| outside SQLite, slope whole run / second half | {result.get('outside_sqlite_slope_mb_per_hour')}"
        f" / {result.get('outside_sqlite_slope_second_half_mb_per_hour')} MB/hour |",
        f"| C heap in use (with SQLite's), first 10 → last 10 | {arrow(result, 'heap_used_mb')} MB |",
        f"| C heap freed but kept by the arenas, first 10 → last 10 | {arrow(result, 'heap_free_mb')} MB |",
        f"| Python allocated blocks, first 10 → last 10 | {arrow(result, 'python_blocks')} |",
        f"| most active sessions at once | {result['max_sessions']} |",
        f"| page loads (first + periodic reloads) | {result['page_loads']} |",
        f"| screens seen on the wall | {', '.join(result['screens_seen'])} |",
        f"| requests to hosts other than 127.0.0.1 | {len(result['foreign_hosts'])} |",
    ]
    out = RESULTS / f"soak-{name}.md"
    out.write_text("\n".join(lines) + "\n")
    return out


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--rotate", type=int, default=10)
    parser.add_argument("--reload-minutes", dest="reload_minutes", type=int, default=5)
    parser.add_argument("--refresh", type=int, default=15)
    parser.add_argument("--screens", default="overview,map,ranking")
    parser.add_argument("--port", type=int, default=8599)
    parser.add_argument("--sample-seconds", dest="sample_seconds", type=float, default=60)
    parser.add_argument(
        "--server-env",
        dest="server_env",
        action="append",
        default=[],
        help="KEY=VALUE for the server only (default: MALLOC_ARENA_MAX=2, as docs/operations.md runs it; "
        "MALLOC_ARENA_MAX= for glibc's default)",
    )
    parser.add_argument("--name", default="latest", help="results go to ops/results/soak-NAME.*")
    result = run(parser.parse_args())
    print(write(result).read_text())


if __name__ == "__main__":
    main()
