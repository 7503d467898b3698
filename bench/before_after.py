"""The screens' data calls timed on two code versions, alternating, on the same machine in one run.

    python -m bench.before_after --old DIR --old-db URL --new DIR --new-db URL [--rounds 3]
        [--repeats 5] [--now 2026-11-30T11:00:00] --out bench/results/NAME

Each side runs in a child process whose ``sys.path`` starts with its checkout ``DIR`` (the code
of one version, on a database that version built), and times the same calls: the screens of
*this* checkout's ``bench/screens.py`` (what ``python -m bench`` times for the design), each
warmed up once and then timed ``--repeats`` times. Before issue 21 item 2 ``Period``
lived in ``metrics.period``: the child then serves it as ``timebase.period``. The sides
alternate (old, new; new, old; …) so a change in the machine's load falls on both; each run
records the load average before it. Writes NAME.json (every timing) and NAME.md: per screen
and side the median and the fastest of all its timings, and the ratios new / old of each (on a
shared machine the fastest is the steadier figure: the median carries other processes' load), and
the median CPU time of the measuring process (``time.process_time``: what the code itself spends,
whatever the load; on PostgreSQL the server's work is not in it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

SCREENS = Path(__file__).resolve().parent / "screens.py"

_CHILD = """
import datetime as dt, importlib, importlib.util, json, os, statistics, sys, time, types
if importlib.util.find_spec("timebase") is None:  # before issue 21 item 2
    import metrics.period
    sys.modules["timebase"] = types.ModuleType("timebase")
    sys.modules["timebase.period"] = metrics.period
spec = importlib.util.spec_from_file_location("screens_of_new", sys.argv[1])
screens = importlib.util.module_from_spec(spec); spec.loader.exec_module(screens)
from data_access.engine import make_engine
engine, now, repeats = make_engine(sys.argv[2]), dt.datetime.fromisoformat(sys.argv[3]), int(sys.argv[4])
out, cpu = {}, {}
for name, fn in screens.screens(now).items():
    fn(engine)
    out[name], cpu[name] = [], []
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time(); fn(engine)
        out[name].append(time.perf_counter() - started); cpu[name].append(time.process_time() - cpu_started)
print(json.dumps({"wall": out, "cpu": cpu}))
"""


def run_side(code: Path, url: str, now: str, repeats: int) -> dict[str, Any]:
    """One timed run of one side; its medians per screen and the load average before it."""
    load = os.getloadavg()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "IOC_NOW", "IOC_DATABASE_URL")}
    args = [sys.executable, "-c", _CHILD, str(SCREENS), url, now, str(repeats)]
    done = subprocess.run(args, cwd=code, env=env, capture_output=True, text=True, check=True)
    timings = json.loads(done.stdout.splitlines()[-1])
    return {"load_before": [round(x, 2) for x in load], "screens": timings["wall"], "cpu": timings["cpu"]}


def markdown(result: dict[str, Any]) -> str:
    """The table: per screen, each side's median and fastest of all its timings (ms), new / old."""
    old, new = result["sides"]["old"], result["sides"]["new"]
    lines = [
        f"# Screens' data calls: {old['commit']} (before) and {new['commit']} (after)",
        "",
        f"Run {result['started']}–{result['finished']} UTC, {result['rounds']} rounds alternating the sides, "
        f"each screen warmed once then timed {result['repeats']} times a run, judged at {result['now']}.",
        f"Old: `{old['code']}` on `{old['database']}`; new: `{new['code']}` on `{new['database']}`.",
        "",
        "| screen | before: median, fastest (ms) | after: median, fastest (ms) | after / before: median, "
        "fastest | CPU of the process, median (ms): before, after, ratio "
        "| each round's median: before / after (ms) |",
        "|---|--:|--:|--:|--:|---|",
    ]
    for name in new["runs"][0]["screens"]:
        a = [[t * 1000 for t in r["screens"][name]] for r in old["runs"]]
        b = [[t * 1000 for t in r["screens"][name]] for r in new["runs"]]
        rounds = " · ".join(
            f"{statistics.median(x):.1f} / {statistics.median(y):.1f}" for x, y in zip(a, b, strict=True)
        )
        flat = [[t for r in s for t in r] for s in (a, b)]
        (ma, fa), (mb, fb) = ((statistics.median(x), min(x)) for x in flat)
        ca, cb = (
            statistics.median(t * 1000 for r in side["runs"] for t in r["cpu"][name]) for side in (old, new)
        )
        cells = f"{ma:.1f}, {fa:.1f} | {mb:.1f}, {fb:.1f} | {mb / ma:.2f}, {fb / fa:.2f}"
        cells += f" | {ca:.1f}, {cb:.1f}, {cb / ca:.2f}"
        lines.append(f"| {name} | {cells} | {rounds} |")
    lines += ["", "Load average (1, 5, 15 min) before each run:", ""]
    for i in range(result["rounds"]):
        lines.append(
            f"- round {i + 1}: before {old['runs'][i]['load_before']}, after {new['runs'][i]['load_before']}"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    """Alternate the two sides, write NAME.json and NAME.md."""
    parser = argparse.ArgumentParser(prog="python -m bench.before_after")
    for side in ("old", "new"):
        parser.add_argument(f"--{side}", required=True, help=f"checkout of the {side} version")
        parser.add_argument(f"--{side}-db", required=True, help="a database that version built")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--now", default="2026-11-30T11:00:00")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    result: dict[str, Any] = {"started": f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M}", "now": args.now}
    result |= {"rounds": args.rounds, "repeats": args.repeats, "cpus": os.cpu_count(), "sides": {}}
    for side in ("old", "new"):
        code = Path(getattr(args, side)).resolve()
        commit = subprocess.run(
            ["git", "-C", str(code), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        )
        url = getattr(args, f"{side}_db")
        result["sides"][side] = {
            "code": str(code),
            "commit": commit.stdout.strip(),
            "database": url,
            "runs": [],
        }
    for i in range(args.rounds):
        for side in ("old", "new") if i % 2 == 0 else ("new", "old"):
            s = result["sides"][side]
            print(f"round {i + 1} {side}…", file=sys.stderr)
            s["runs"].append(run_side(Path(s["code"]), s["database"], args.now, args.repeats))
    result["finished"] = f"{dt.datetime.now(dt.UTC):%H:%M}"
    out = Path(args.out)
    out.with_suffix(".json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    out.with_suffix(".md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()
