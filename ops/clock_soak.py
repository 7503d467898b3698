"""Days on the wall in minutes: the app's own memory over simulated days. Not part of the test run.

    python -m ops.clock_soak --hours 24 [--step 30] [--screens overview,map,ranking] [--name day]

The browser soak (``ops/soak.py``) runs in real time, so a day on the wall takes a day. This run
keeps the one thing that moves a wall server's memory from hour to hour, the clock, and drops
the waiting: it runs ``app.py`` in Streamlit's AppTest (one session, in this process) on a copy
of the sample while ``cli.py simulate`` writes into it, and before each rerun moves the
dashboard's clock (``IOC_NOW``) on by ``--step`` seconds, rotating over the kiosk screens. Each
rerun therefore sees a new refresh interval, as the wall does: new cache keys, expired cache
entries, new periods at midnight and at the turn of a month if the span crosses one. Every
simulated ``--sample-minutes`` it records this process's memory as the server logs it
(``ui.memory.snapshot``: resident, SQLite's page caches, Python's allocated blocks, threads).

What it leaves out: the browser, the websocket and the sessions that reloads open and close
(``ops/soak.py`` measures those in real time). Figures go to ops/results/clock-NAME.json and .md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ops.soak import RESULTS, ROOT, arrow, first_last, min_median_max, prepare_database, slope_per_hour


def run(args: argparse.Namespace) -> dict:
    """Do the run and return its figures."""
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    from ui import memory

    work = Path(tempfile.mkdtemp(prefix="ioc-clock-"))
    url = prepare_database(work)
    os.environ.update(IOC_DATABASE_URL=url, IOC_MEMORY_LOG_MINUTES="0")
    sim = subprocess.Popen(
        [sys.executable, "cli.py", "simulate", "--database", url, "--minutes", "600", "--interval", "5"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    start = dt.datetime.fromisoformat(args.start) if args.start else dt.datetime.now().replace(microsecond=0)
    screens = args.screens.split(",")
    steps = int(args.hours * 3600 / args.step)
    every = max(1, int(args.sample_minutes * 60 / args.step))
    samples: list[dict] = []
    exceptions = 0
    began = time.monotonic()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.query_params["kiosk"] = "1"
        for i in range(steps + 1):
            clock = start + dt.timedelta(seconds=i * args.step)
            os.environ["IOC_NOW"] = clock.isoformat()
            at._page_hash = calc_hash(screens[i % len(screens)])  # what a browser on /<screen> asks for
            at.run()
            exceptions += len(at.exception)
            if i % every == 0:
                snap = memory.snapshot()
                samples.append(
                    dict(
                        t=i * args.step,
                        clock=clock.isoformat(timespec="minutes"),
                        real_s=round(time.monotonic() - began, 1),
                        **snap,
                    )
                )
                print(json.dumps(samples[-1]), flush=True)
    finally:
        sim.terminate()
        try:
            sim.wait(timeout=20)
        except subprocess.TimeoutExpired:
            sim.kill()
        shutil.rmtree(work, ignore_errors=True)
    rss = [(s["t"], s["rss_mb"]) for s in samples]
    outside = [(s["t"], s["rss_mb"] - (s["sqlite_mb"] or 0)) for s in samples]
    half = len(samples) // 2
    return dict(
        name=args.name,
        hours=args.hours,
        step_seconds=args.step,
        screens=screens,
        start=start.isoformat(timespec="minutes"),
        reruns=steps + 1,
        real_minutes=round((time.monotonic() - began) / 60, 1),
        exceptions=exceptions,
        samples=samples,
        rss_mb_min_median_max=min_median_max([v for _, v in rss]),
        rss_mb_first10_last10=first_last(rss),
        sqlite_mb_first10_last10=first_last([(s["t"], s["sqlite_mb"] or 0) for s in samples]),
        outside_sqlite_mb_first10_last10=first_last(outside),
        python_blocks_first10_last10=first_last([(s["t"], s["python_blocks"]) for s in samples]),
        heap_used_mb_first10_last10=first_last([(s["t"], s["heap_used_mb"] or 0) for s in samples]),
        heap_free_mb_first10_last10=first_last([(s["t"], s["heap_free_mb"] or 0) for s in samples]),
        rss_slope_mb_per_hour=round(slope_per_hour(rss), 2),
        rss_slope_second_half_mb_per_hour=round(slope_per_hour(rss[half:]), 2),
        outside_sqlite_slope_second_half_mb_per_hour=round(slope_per_hour(outside[half:]), 2),
        hourly_median_rss_mb=_hourly(samples, "rss_mb"),
    )


def _hourly(samples: list[dict], figure: str) -> list[float]:
    """Median of ``figure`` in each simulated hour."""
    hours: dict[int, list[float]] = {}
    for s in samples:
        hours.setdefault(int(s["t"] // 3600), []).append(s[figure])
    return [sorted(v)[len(v) // 2] for _, v in sorted(hours.items())]


def write(result: dict) -> Path:
    """ops/results/clock-NAME.json and .md; returns the .md."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = result["name"]
    (RESULTS / f"clock-{name}.json").write_text(json.dumps(result, indent=2))

    hourly = ", ".join(f"{v:g}" for v in result["hourly_median_rss_mb"])
    spread = " / ".join(map(str, result["rss_mb_min_median_max"]))
    outside_slope = result["outside_sqlite_slope_second_half_mb_per_hour"]
    lines = [
        f"Clock soak: {result['hours']} simulated hours from {result['start']} in "
        f"{result['real_minutes']} real minutes; {result['reruns']} reruns of app.py (AppTest), "
        f"the clock {result['step_seconds']} s on each, rotating over "
        f"{', '.join(result['screens'])}; the simulator writing beside.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| resident memory min / median / max | {spread} MB |",
        f"| resident memory, median of first 10 → last 10 samples | {arrow(result, 'rss_mb')} MB |",
        f"| of which SQLite's page caches | {arrow(result, 'sqlite_mb')} MB |",
        f"| outside SQLite | {arrow(result, 'outside_sqlite_mb')} MB |",
        f"| C heap in use (SQLite's caches included) | {arrow(result, 'heap_used_mb')} MB |",
        f"| C heap freed but kept by the arenas | {arrow(result, 'heap_free_mb')} MB |",
        f"| Python allocated blocks | {arrow(result, 'python_blocks')} |",
        f"| slope (simulated time), whole run / second half | {result['rss_slope_mb_per_hour']} / "
        f"{result['rss_slope_second_half_mb_per_hour']} MB/hour |",
        f"| slope outside SQLite, second half | {outside_slope} MB/hour |",
        f"| median resident memory of each simulated hour | {hourly} MB |",
        f"| exceptions on screen | {result['exceptions']} |",
    ]
    out = RESULTS / f"clock-{name}.md"
    out.write_text("\n".join(lines) + "\n")
    return out


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hours", type=float, default=24, help="simulated hours on the wall")
    parser.add_argument("--step", type=int, default=30, help="simulated seconds between reruns")
    parser.add_argument("--start", default="", help="ISO local time the clock starts at (default: now)")
    parser.add_argument("--screens", default="overview,map,ranking")
    parser.add_argument("--sample-minutes", dest="sample_minutes", type=float, default=10)
    parser.add_argument("--name", default="latest", help="results go to ops/results/clock-NAME.*")
    result = run(parser.parse_args())
    print(write(result).read_text())


if __name__ == "__main__":
    main()
