"""``python -m bench [--sizes 1M,10M] [--backends sqlite,postgresql,duckdb] [--reuse]``

Builds the sample at each size with ``python cli.py sample --scale X`` (and its summaries with
``python cli.py refresh``) on each backend, then measures, each in its own process: (a) the naive
read-everything-into-pandas approach (1 M only: the baseline), (b) the GROUP BY on the raw
dossier table, (c) the project's design (summaries + indexed "now" rows), for every screen's
data and the whole overview; the cost of absorbing 1,000 new dossiers; the app's cold start to
``/_stcore/health`` and a session's memory. ``duckdb`` is the floor any full scan can reach: a
copy of the SQLite sample without summaries, so every query scans the dossier table on DuckDB.
Writes ``bench/results/latest.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from bench import docs
from bench.report import markdown

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SCALES = {"1M": 3.34, "10M": 33.4}  # scale 1 ≈ 300,000 dossiers from 2019 (sample_data/generate.py)
PG_SERVER = os.environ.get("IOC_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")


def _url(backend: str, size: str, folder: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{folder / f'ioc_{size.lower()}.sqlite'}"
    if backend == "duckdb":
        return f"duckdb:///{folder / f'ioc_{size.lower()}.duckdb'}"
    return f"{PG_SERVER}/ioc_bench_{size.lower()}"


def _exists(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT COUNT(*) FROM meta WHERE key = 'data_until'")).scalar() == 1
    except Exception:
        return False
    finally:
        engine.dispose()  # DuckDB locks its file while any connection is open


def _ensure_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))  # a name of our own making
    admin.dispose()


def _run(args: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {done.stderr[-2000:]}")
    return time.perf_counter() - started, done.stdout.strip()


#: Runs its arguments as a child and prints that child's peak resident memory (KB) last on stderr:
#: in this one-child process RUSAGE_CHILDREN is exactly that child's peak.
_PEAK = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(code)"
)


def _run_peak(args: list[str]) -> tuple[float, float, str]:
    """Run ``args``; its wall time, its own peak resident memory in MB, and its standard output."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {done.stderr[-2000:]}")
    peak_kb = float(done.stderr.strip().splitlines()[-1])
    return seconds, peak_kb / 1024, done.stdout.strip()


PROVINCE_DOSSIERS = {"1M": 1_000_000, "10M": 10_000_000}
PROVINCE_UNTIL = "2026-11-30"


def _build_province(url: str, size: str, backend: str, folder: Path) -> dict[str, Any]:
    """A province made by ``bench.province`` (not the sample's generator), imported through
    ``cli.py import`` as a deployment would: its import time and peak memory, the same for the
    re-import of a newer export of it (:mod:`bench.newer_export`), and the time of
    ``cli.py report`` as a whole process on the re-imported data."""
    source = folder / f"province_{size.lower()}"
    out: dict[str, Any] = {}
    if not (source / "dossiers.csv").exists():
        out["generate_s"], _ = _run(
            [
                sys.executable,
                "-m",
                "bench.province",
                str(source),
                "--dossiers",
                str(PROVINCE_DOSSIERS[size]),
                "--until",
                PROVINCE_UNTIL,
            ]
        )
    if backend == "postgresql":
        _ensure_pg_database(url)
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        admin.dispose()
    else:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    out["import_s"], out["import_peak_mb"], out["import"] = _run_peak(
        [sys.executable, "cli.py", "import", str(source), "--database", url]
    )
    # Issue "Real data in", item 5: a newer export of the same dossiers (10,000 changed, 1,200
    # new) into the database just imported, which must count them and take ≤ 10 s at 1 M.
    newer = folder / f"province_{size.lower()}_newer"
    if not (newer / "dossiers.csv").exists():
        _run([sys.executable, "-m", "bench.newer_export", str(source), str(newer)])
    out["reimport_s"], out["reimport_peak_mb"], out["reimport"] = _run_peak(
        [sys.executable, "cli.py", "import", str(newer), "--database", url, "--lang", "en"]
    )
    reports = []
    for _ in range(3):
        seconds, _ = _run(
            [
                sys.executable,
                "cli.py",
                "report",
                "--database",
                url,
                "--level",
                "district",
                "--start",
                "2025-01-01",
                "--end",
                "2025-01-31",
            ]
        )
        reports.append(seconds)
    out["report_s"] = sorted(reports)[1]
    return out


def _build(url: str, size: str, backend: str, reuse: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if backend == "duckdb":  # the scan floor: a copy of the SQLite sample, no summaries
        source = url.removeprefix("duckdb:///").removesuffix(".duckdb") + ".sqlite"
        if not (reuse and _exists(url)):
            out["build_s"], out["build"] = _run([sys.executable, "-m", "bench.duckdb_copy", source, url[10:]])
        out["refresh"] = "none (no summaries: every query scans the dossier table)"
        return out
    if backend == "postgresql":
        _ensure_pg_database(url)
    if not (reuse and _exists(url)):
        out["build_s"], out["build"] = _run(
            [sys.executable, "cli.py", "sample", "--database", url, "--scale", str(SCALES[size])]
        )
    out["refresh_s"], out["refresh"] = _run([sys.executable, "cli.py", "refresh", "--database", url])
    return out


def _measure(url: str, approach: str, now: str, repeats: int, warm_up: bool = True) -> dict[str, Any]:
    args = [
        sys.executable,
        "-m",
        "bench.measure",
        "--url",
        url,
        "--approach",
        approach,
        "--now",
        now,
        "--repeats",
        str(repeats),
        *([] if warm_up else ["--no-warm-up"]),
    ]
    return json.loads(_run(args)[1].splitlines()[-1])


def _now(url: str) -> str:
    engine = create_engine(url)
    with engine.connect() as conn:
        value = conn.execute(text("SELECT value FROM meta WHERE key = 'data_until'")).scalar()
    engine.dispose()
    return str(value)


def main() -> None:
    """Build, measure, write the results."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--sizes", default="1M,10M")
    parser.add_argument("--backends", default="sqlite,postgresql,duckdb", help="duckdb: the full-scan floor")
    parser.add_argument("--folder", default=str(ROOT / "data" / "bench"), help="where the SQLite files go")
    parser.add_argument("--reuse", action="store_true", help="keep a database already built at that size")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-app", action="store_true", help="skip the cold start and session memory")
    parser.add_argument(
        "--province",
        action="store_true",
        help="measure a province made by bench.province (independent of the sample), imported fresh",
    )
    args = parser.parse_args()
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "load_before": os.getloadavg()},
        "runs": {},
    }
    for size in args.sizes.split(","):
        for backend in args.backends.split(","):
            url = _url(backend, f"province_{size}" if args.province else size, folder)
            print(f"== {backend} {size}: {url}", file=sys.stderr)
            if args.province and backend == "duckdb":
                continue  # the scan floor is measured on the sample
            if args.province:
                run: dict[str, Any] = _build_province(url, size, backend, folder)
                now = f"{PROVINCE_UNTIL}T17:00:00"
            else:
                run = _build(url, size, backend, args.reuse)
                now = _now(url)
            run["now"] = now
            approaches = ["naive", "raw", "design"] if size == "1M" else ["raw", "design"]
            if backend == "duckdb":
                approaches = ["raw"]
            for approach in approaches:
                print(f"   {approach}…", file=sys.stderr)
                # The naive baseline, and the raw GROUP BY at 10 M (tens of seconds a screen on
                # SQLite), run once each: a warm-up and five repeats would take most of an hour.
                once = approach == "naive" or (approach == "raw" and size != "1M" and backend != "duckdb")
                run[approach] = _measure(url, approach, now, 1 if once else args.repeats, warm_up=not once)
            if backend != "duckdb":
                run["delta"] = _measure(url, "delta", now, 3)
            if not args.no_app and backend != "duckdb":
                from bench.app_start import cold_start

                run["app"] = cold_start(url, now)
            run["load_after"] = os.getloadavg()
            results["runs"][f"{backend} {size}"] = run
            if args.province:
                results["province"] = "bench.province (independent of the sample generator)"
            _write(results)
    results["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    _write(results)
    print(markdown(results))


def _write(results: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "province" if "province" in results else "latest"
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    (RESULTS / f"{name}.md").write_text(markdown(results), encoding="utf-8")
    if name == "latest":
        docs.write()  # docs/performance.md shows the run just written


if __name__ == "__main__":
    main()
