"""Cold start: the first page runs of a freshly started server, timed. Not part of the test run.

    python -m ops.cold_start [--viewers 1] [--times 3] [--database URL] [--url-path /]
                             [--server-env KEY=VALUE ...] [--port 8598] [--name latest]

``--times`` times over: starts ``streamlit run app.py`` as ``ops.load`` does, waits for
``/_stcore/health``, opens ``--viewers`` sessions at once (walls reconnecting to a restarted
server; one = a single viewer on a cold server) and times each first page run from its request
to its ``script_finished``; then opens one more session (the warm figure) and stops the server.
The server's CPU seconds over those runs are recorded too: on a shared machine the wall-clock
times follow the other work, the CPU the server needed much less.
Results: ops/results/cold-NAME.json and .md, with the load average before and after each start.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from pathlib import Path

from ops.load import RESULTS, cpu_seconds, git_commit, quantile, start_server
from ops.load_viewer import Tally, Viewer
from ops.soak import wait_healthy

MAX_VIEWERS, MAX_TIMES = 50, 20


async def _first_runs(port: int, path: str, query: str, viewers: int) -> tuple[list[float], float, Tally]:
    """Each viewer's first page run at once, then one more session alone (seconds each)."""
    tally = Tally(time.monotonic())
    walls = [Viewer(i, port, path, query, tally) for i in range(viewers)]
    await asyncio.gather(*(w.session(time.monotonic()) for w in walls))
    first = [r.seconds for r in tally.runs if r.ok]
    await Viewer(viewers, port, path, query, tally).session(time.monotonic())
    warm = tally.runs[-1].seconds if len(tally.runs) > len(first) else float("nan")
    return first, warm, tally


def run_once(args: argparse.Namespace) -> dict:
    """One fresh server: its start, the first runs, the warm run, the load average around them."""
    path, _, query = args.url_path.partition("?")
    log = Path(tempfile.mkdtemp(prefix="ioc-cold-")) / "server.log"
    load_before = os.getloadavg()[0]
    server = start_server(args, log)
    try:
        health = wait_healthy(args.port, 90, server)
        cpu = cpu_seconds(server.pid)
        first, warm, tally = asyncio.run(_first_runs(args.port, path, query, args.viewers))
        cpu = cpu_seconds(server.pid) - cpu
    finally:
        server.terminate()
        server.wait(timeout=20)
    lines = log.read_text(errors="replace").splitlines()
    errors = tally.errors + [line for line in lines if "Traceback" in line or " ERROR " in line]
    return dict(
        health_s=round(health, 2),
        first_runs=[round(s, 3) for s in sorted(first)],
        first_max=round(max(first, default=float("nan")), 3),
        warm=round(warm, 3),
        server_cpu_s=round(cpu, 2),
        errors=errors[:20],
        load1_before=round(load_before, 2),
        load1_after=round(os.getloadavg()[0], 2),
    )


def write(result: dict, folder: Path = RESULTS) -> Path:
    """cold-NAME.json and .md in ``folder``; returns the .md."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"cold-{result['name']}.json").write_text(json.dumps(result, indent=1))
    lines = [
        f"Cold start {result['when']} (commit {result['commit']}): {result['viewers']} viewer(s) at once "
        f"on a freshly started server, {len(result['starts'])} times, `{result['url_path']}`, database "
        f"`{result['database']}`; {result['cpus']} CPUs.",
        "",
        "| start | load avg before → after | to health | first runs: median / max | warm run "
        "| server CPU | errors |",
        "|--:|---|--:|--:|--:|--:|--:|",
    ]
    for i, s in enumerate(result["starts"], 1):
        median = quantile(s["first_runs"], 0.5)
        lines.append(
            f"| {i} | {s['load1_before']} → {s['load1_after']} | {s['health_s']:.2f} s "
            f"| {median:.2f} / {s['first_max']:.2f} s | {s['warm']:.2f} s | {s['server_cpu_s']:.2f} s "
            f"| {len(s['errors'])} |"
        )
    out = folder / f"cold-{result['name']}.md"
    out.write_text("\n".join(lines) + "\n")
    return out


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line, bounded."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--viewers", type=int, default=1)
    parser.add_argument("--times", type=int, default=3)
    parser.add_argument("--url-path", dest="url_path", default="/")
    parser.add_argument("--port", type=int, default=8598)
    parser.add_argument("--database", default="", help="SQLAlchemy URL (default: IOC_DATABASE_URL)")
    parser.add_argument("--server-env", dest="server_env", action="append", default=[], help="KEY=VALUE")
    parser.add_argument("--pause-seconds", dest="pause", type=float, default=5, help="between starts")
    parser.add_argument("--name", default="latest", help="results go to ops/results/cold-NAME.*")
    parser.add_argument("--results", type=Path, default=RESULTS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not 1 <= args.viewers <= MAX_VIEWERS or not 1 <= args.times <= MAX_TIMES:
        parser.error(f"--viewers 1–{MAX_VIEWERS}, --times 1–{MAX_TIMES}")
    return args


def main(argv: list[str] | None = None) -> dict:
    """Command line: start, time, stop (``--times`` over); write and print the summary."""
    args = parse(argv)
    starts = []
    for i in range(args.times):
        if i:
            time.sleep(args.pause)
        starts.append(run_once(args))
    result = dict(
        name=args.name,
        when=time.strftime("%Y-%m-%d %H:%M", time.localtime()),
        commit=git_commit(),
        viewers=args.viewers,
        url_path=args.url_path,
        database=args.database or os.environ.get("IOC_DATABASE_URL", "(embedded sample)"),
        cpus=os.cpu_count(),
        starts=starts,
    )
    print(write(result, args.results).read_text())
    return result


if __name__ == "__main__":
    main()
