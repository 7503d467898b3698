"""The benchmark's Markdown table (medians, ratios to the naive baseline, 1 M → 10 M growth)."""

from __future__ import annotations

from typing import Any


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def _ratio(a: float | None, b: float | None) -> str:
    return "—" if not a or not b else f"{a / b:,.0f}×" if a / b >= 10 else f"{a / b:,.1f}×"


def _table(backend: str, runs: dict[str, Any]) -> list[str]:
    one, ten = runs.get(f"{backend} 1M", {}), runs.get(f"{backend} 10M", {})
    floor = runs.get("duckdb 10M", {}).get("raw", {}).get("screens", {})
    naive = next(iter(one.get("naive", {}).get("screens", {}).values()), None)
    screens = list((one or ten).get("design", {}).get("screens", {}))
    lines = [
        f"**{backend}** (median of warm runs)",
        "",
        "| screen's data | naive 1 M | raw SQL 1 M | design 1 M | design vs naive | raw SQL 10 M "
        "| DuckDB scan 10 M | design 10 M | growth 1 M → 10 M |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name in screens:
        d1 = one.get("design", {}).get("screens", {}).get(name)
        r1 = one.get("raw", {}).get("screens", {}).get(name)
        d10 = ten.get("design", {}).get("screens", {}).get(name)
        r10 = ten.get("raw", {}).get("screens", {}).get(name)
        growth = _ratio(d10, d1) if d10 else "—"
        lines.append(
            f"| {name} | {_ms(naive)} | {_ms(r1)} | {_ms(d1)} | {_ratio(naive, d1)} | {_ms(r10)} "
            f"| {_ms(floor.get(name))} | {_ms(d10)} | {growth} |"
        )
    lines.append("")
    for size, run in (("1 M", one), ("10 M", ten)):
        if run:
            lines.append(_facts(size, run))
    return [*lines, ""]


def _facts(size: str, run: dict[str, Any]) -> str:
    """One line: sizes, build, delta, memory, app start, load."""
    delta, app = run.get("delta", {}).get("delta", {}), run.get("app", {})
    mem = {k: run.get(k, {}).get("peak_rss_mb") for k in ("naive", "raw", "design")}
    build = f"built in {run['build_s']:,.0f} s" if "build_s" in run else "reused"
    if "import_s" in run:
        build = (
            f"`cli.py import` of a province from bench.province {run['import_s']:,.0f} s, peak "
            f"{run['import_peak_mb']:,.0f} MB; `cli.py report` (whole process) {run['report_s']:.1f} s"
        )
    if "reimport_s" in run:
        build += (
            f"; re-import of a newer export (bench.newer_export) {run['reimport_s']:,.1f} s, peak "
            f"{run['reimport_peak_mb']:,.0f} MB: {run['reimport'].splitlines()[-1]}"
        )
    parts = [
        f"- {size}: {delta.get('dossiers', 0):,} dossiers ({build}); `cli.py refresh`: "
        f"{run.get('refresh', '').removeprefix('summaries: ')}",
        f"absorbing 1,000 new dossiers {_ms(delta.get('absorb_1000'))} "
        f"(writing them {_ms(delta.get('write_1000'))})",
        "peak memory of the measuring process " + ", ".join(f"{k} {v:,.0f} MB" for k, v in mem.items() if v),
    ]
    if "health_s" in app and "rss_after_session_mb" in app:
        parts.append(
            f"app cold start to /_stcore/health {app['health_s']:.1f} s, first overview drawn "
            f"{app.get('first_page_s', float('nan')):.1f} s later, server memory "
            f"{app['rss_after_session_mb']:,.0f} MB after one session "
            f"(+{app['session_mb']:,.0f} MB over idle)"
        )
    if "rss_after_tour_mb" in app:
        slowest = sorted(app.get("tour_s", {}).items(), key=lambda kv: -kv[1])[:3]
        parts.append(
            f"{app['rss_after_tour_mb']:,.0f} MB a minute after the same session opened every screen "
            f"(slowest first loads: {', '.join(f'{k} {v:.1f} s' for k, v in slowest)})"
        )
    parts.append(f"load average {run.get('load_after', [float('nan')])[0]:.1f} after the run")
    return "; ".join(parts) + "."


def markdown(results: dict[str, Any]) -> str:
    """The whole results file as Markdown."""
    runs = results.get("runs", {})
    backends = sorted({key.split()[0] for key in runs} - {"duckdb"}, key=lambda b: (b != "sqlite", b))
    head = [
        f"# Benchmark {results.get('started', '')} ({results.get('machine', {}).get('cpus')} CPUs)",
        "",
        "naive = read the dossier table into pandas and group there (one measurement, the same for every "
        "screen: each re-reads the table); raw SQL = GROUP BY pushed into SQL on the dossier table; design = "
        "summary tables + the open/today rows through indexes (what the app does); DuckDB scan = the same "
        "queries on a DuckDB copy without summaries (a full columnar scan, the floor for any scan). "
        "Medians of 5 warm runs, "
        "except the naive baseline and raw SQL at 10 M: one run each (tens of seconds a screen).",
        "",
    ]
    body = [line for b in backends for line in _table(b, runs)]
    return "\n".join(head + body)
