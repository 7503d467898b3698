"""Load run: N wall viewers on one server at once. Not part of the test run.

    python -m ops.load --viewers 20 --minutes 5 [--url-path / | "/?kiosk=1&rotate=0"] [--port 8597]
                       [--database URL] [--reopen-seconds 60] [--ramp-seconds 0]
                       [--server-env KEY=VALUE ...] [--name latest]

Starts ``streamlit run app.py`` itself on 127.0.0.1 (as the run command of docs/operations.md: the environment
plus ``MALLOC_ARENA_MAX=2``, ``IOC_REFRESH_SECONDS`` at its default unless given), waits for
``/_stcore/health``, then runs ``--viewers`` wall viewers (``ops.load_viewer``: Streamlit's own
websocket protocol, no browser) for ``--minutes``. Each viewer opens the page (a full run),
follows the fragment reruns the server schedules (``run_every``), and reopens its session every
``--reopen-seconds`` (±20 %; a reload, or the rotation landing on the screen again; 0 = never).
Every run is timed from its request to its ``script_finished``. Every ``--sample-seconds`` the
server's resident memory, its CPU and the machine's load average are recorded. Results go to
ops/results/load-NAME.json and .md. Bounded: at most 50 viewers and 30 minutes; the server is
killed at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from ops.load_viewer import Tally, drive
from ops.soak import rss_mb, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "ops" / "results"
MAX_VIEWERS, MAX_MINUTES = 50, 30
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process (all its threads) has used (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def sample_server(pid: int, every: float, stop: threading.Event, t0: float, out: list[dict]) -> None:
    """Every ``every`` seconds: RSS, CPU (% of one core since the last sample), load average."""
    last_t, last_cpu = time.monotonic(), cpu_seconds(pid)
    while not stop.wait(every):
        try:
            now, cpu = time.monotonic(), cpu_seconds(pid)
        except OSError:
            return
        out.append(
            dict(
                t=round(now - t0, 1),
                rss_mb=round(rss_mb(pid), 1),
                cpu_pct=round(100 * (cpu - last_cpu) / (now - last_t), 1),
                load1=os.getloadavg()[0],
            )
        )
        last_t, last_cpu = now, cpu


def quantile(values: list[float], q: float) -> float | None:
    """The ``q`` quantile (nearest rank) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def spread(values: list[float]) -> dict[str, float | int | None]:
    """Count, median, p95 and max, in seconds to the millisecond."""

    def r(v: float | None) -> float | None:
        return None if v is None else round(v, 3)

    return dict(
        n=len(values),
        median=r(quantile(values, 0.5)),
        p95=r(quantile(values, 0.95)),
        max=r(max(values, default=None)),
    )


def start_server(args: argparse.Namespace, log: Path) -> subprocess.Popen[bytes]:
    """Start the dashboard server on the database of ``args``, its output to ``log``."""
    env = dict(os.environ, MALLOC_ARENA_MAX="2")
    if args.database:
        env["IOC_DATABASE_URL"] = args.database
    for item in args.server_env:
        key, value = item.split("=", 1)
        env.pop(key, None) if value == "" else env.__setitem__(key, value)
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--server.port", str(args.port), "--server.address", "127.0.0.1"]
    command += ["--server.fileWatcherType", "none"]  # as on a wall server: code is not edited under it
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def run(args: argparse.Namespace) -> dict:
    """Do the load run and return its figures."""
    path, _, query = args.url_path.partition("?")
    log = Path(tempfile.mkdtemp(prefix="ioc-load-")) / "server.log"
    server = start_server(args, log)
    samples: list[dict] = []
    stop = threading.Event()
    load_before = os.getloadavg()
    try:
        start_s = wait_healthy(args.port, 90, server)
        idle_mb = rss_mb(server.pid)
        t0 = time.monotonic()
        sampler = threading.Thread(
            target=sample_server, args=(server.pid, args.sample_seconds, stop, t0, samples), daemon=True
        )
        sampler.start()
        client_cpu = time.process_time()
        tally: Tally = asyncio.run(
            drive(
                args.port,
                path,
                query,
                args.viewers,
                args.minutes * 60,
                args.reopen_seconds,
                args.ramp_seconds,
            )
        )
        client_cpu = time.process_time() - client_cpu
    finally:
        stop.set()
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    server_errors = [
        line
        for line in log.read_text(errors="replace").splitlines()
        if "Traceback" in line or " ERROR " in line
    ]
    return summarise(args, tally, samples, start_s, idle_mb, client_cpu, load_before, server_errors)


def summarise(
    args: argparse.Namespace,
    tally: Tally,
    samples: list[dict],
    start_s: float,
    idle_mb: float,
    client_cpu: float,
    load_before: tuple[float, float, float],
    server_errors: list[str],
) -> dict:
    """The run's figures as one JSON-able dict."""
    ok = [r for r in tally.runs if r.ok]
    by_kind = {
        kind: spread([r.seconds for r in ok if r.kind == kind]) for kind in sorted({r.kind for r in ok})
    }
    warm = [r.seconds for r in ok if r.started >= args.warmup_seconds]
    rss = [s["rss_mb"] for s in samples]
    cpu = [s["cpu_pct"] for s in samples]
    return dict(
        name=args.name,
        when=time.strftime("%Y-%m-%d %H:%M", time.localtime()),
        commit=git_commit(),
        viewers=args.viewers,
        minutes=args.minutes,
        url_path=args.url_path,
        database=args.database or os.environ.get("IOC_DATABASE_URL", "(embedded sample)"),
        reopen_seconds=args.reopen_seconds,
        ramp_seconds=args.ramp_seconds,
        server_env=["MALLOC_ARENA_MAX=2", *args.server_env],
        cpus=os.cpu_count(),
        load_average_before=[round(v, 2) for v in load_before],
        load_average_after=[round(v, 2) for v in os.getloadavg()],
        start_to_health_s=round(start_s, 2),
        sessions=tally.sessions,
        runs=len(ok),
        all_runs=spread([r.seconds for r in ok]),
        by_kind=by_kind,
        after_warmup=dict(spread(warm), from_s=args.warmup_seconds),
        late_reruns=tally.late,
        errors=len(tally.errors) + len(server_errors),
        error_lines=(tally.errors + server_errors)[:50],
        server_mb_idle=round(idle_mb, 1),
        server_mb_min_median_max=[min(rss), quantile(rss, 0.5), max(rss)] if rss else None,
        server_mb_last=rss[-1] if rss else None,
        server_cpu_pct_median_max=[quantile(cpu, 0.5), max(cpu)] if cpu else None,
        client_cpu_s=round(client_cpu, 1),
        samples=samples,
        run_log=[[r.viewer, r.kind, r.started, round(r.seconds, 3), r.ok] for r in tally.runs],
    )


def git_commit() -> str:
    """The short commit of the working tree (what a result was measured on)."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True
        )
        return out.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")
    except OSError:
        return "unknown"


def _fmt(s: dict) -> str:
    if not s.get("n"):
        return "– (no runs)"
    return f"{s['median']:.2f} / {s['p95']:.2f} / {s['max']:.2f} s (n = {s['n']})"


def write(result: dict, folder: Path = RESULTS) -> Path:
    """load-NAME.json and .md in ``folder``; returns the .md."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"load-{result['name']}.json").write_text(json.dumps(result, indent=1))
    mb = result["server_mb_min_median_max"] or ["–"] * 3
    cpu = result["server_cpu_pct_median_max"] or ["–"] * 2
    lines = [
        f"Load run {result['when']} (commit {result['commit']}): {result['viewers']} viewers for "
        f"{result['minutes']} min on `{result['url_path']}`, sessions reopened every "
        f"{result['reopen_seconds']} s (±20 %), first sessions within {result['ramp_seconds']} s; "
        f"database `{result['database']}`; {result['cpus']} CPUs, load average "
        f"{result['load_average_before'][0]} before, {result['load_average_after'][0]} after.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| server time per run, all runs: median / p95 / max | {_fmt(result['all_runs'])} |",
        *(f"| … {kind} runs | {_fmt(s)} |" for kind, s in result["by_kind"].items()),
        f"| … runs started after the first {result['after_warmup']['from_s']} s "
        f"| {_fmt(result['after_warmup'])} |",
        f"| fragment reruns not sent: previous run still in flight | {result['late_reruns']} |",
        f"| sessions opened | {result['sessions']} |",
        f"| errors | {result['errors']} |",
        f"| server memory idle → min / median / max → last | {result['server_mb_idle']} → "
        f"{mb[0]} / {mb[1]} / {mb[2]} → {result['server_mb_last']} MB |",
        f"| server CPU, median / max (100 % = one core) | {cpu[0]} / {cpu[1]} % |",
        f"| load client's own CPU | {result['client_cpu_s']} s |",
        f"| start to /_stcore/health | {result['start_to_health_s']} s |",
    ]
    if result["error_lines"]:
        lines += ["", "Errors (first 50):", "", *(f"    {line}" for line in result["error_lines"])]
    out = folder / f"load-{result['name']}.md"
    out.write_text("\n".join(lines) + "\n")
    return out


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line, bounded."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--viewers", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--url-path", dest="url_path", default="/")
    parser.add_argument("--port", type=int, default=8597)
    parser.add_argument(
        "--database", default="", help="SQLAlchemy URL (default: IOC_DATABASE_URL, else the sample)"
    )
    parser.add_argument("--reopen-seconds", dest="reopen_seconds", type=float, default=60)
    parser.add_argument("--ramp-seconds", dest="ramp_seconds", type=float, default=0)
    parser.add_argument("--warmup-seconds", dest="warmup_seconds", type=float, default=30)
    parser.add_argument("--sample-seconds", dest="sample_seconds", type=float, default=5)
    parser.add_argument("--server-env", dest="server_env", action="append", default=[], help="KEY=VALUE")
    parser.add_argument("--name", default="latest", help="results go to ops/results/load-NAME.*")
    parser.add_argument("--results", type=Path, default=RESULTS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not 1 <= args.viewers <= MAX_VIEWERS or not 0 < args.minutes <= MAX_MINUTES:
        parser.error(f"--viewers 1–{MAX_VIEWERS}, --minutes up to {MAX_MINUTES}")
    return args


def main(argv: list[str] | None = None) -> dict:
    """Command line: run, write, print the summary."""
    args = parse(argv)
    result = run(args)
    print(write(result, args.results).read_text())
    return result


if __name__ == "__main__":
    main()
