"""The Markdown of ``bench.pages``: the targets of issue 23 with their verdicts, then every link
and every change, wall-clock seconds and the server's CPU seconds."""

from __future__ import annotations

import statistics
from typing import Any


def _s(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _verdict(value: float | None, limit: float) -> str:
    return "error" if value is None else "met" if value <= limit else "missed"


def _values(rows: list[dict[str, Any]], key: str, **match: str) -> list[float]:
    return [r[key] for r in rows if all(r[k] == v for k, v in match.items()) and r["seconds"] is not None]


def _changes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if r["what"] != "visit"]


def summary(result: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(what, target, measured wall, measured server CPU, verdict on wall time) per target."""
    rows, targets = result["rows"], result["targets"]
    warm = _values(rows, "seconds", what="visit", role="warm")
    warm_cpu = _values(rows, "cpu", what="visit", role="warm")
    first = _values(rows, "seconds", what="visit", role="first")
    first_cpu = _values(rows, "cpu", what="visit", role="first")
    changes = [r for r in _changes(rows) if r["seconds"] is not None]
    errors = sum(1 for r in rows if r["seconds"] is None)

    def top(values: list[float]) -> float | None:
        return max(values) if values else None

    def mid(values: list[float]) -> float | None:
        return statistics.median(values) if values else None

    lines = [
        ("every warm visit", targets["warm"], top(warm), top(warm_cpu)),
        ("median warm visit", targets["warm_median"], mid(warm), mid(warm_cpu)),
        ("every first visit", targets["first"], top(first), top(first_cpu)),
        (
            "every widget change and drill-down",
            targets["change"],
            top([r["seconds"] for r in changes]),
            top([r["cpu"] for r in changes]),
        ),
    ]
    out = [
        (what, f"≤ {limit:.0f} s", f"{_s(wall)} s", f"{_s(cpu)} s", _verdict(wall, limit))
        for what, limit, wall, cpu in lines
    ]
    if errors:
        out.append(("measurements that failed", "0", str(errors), "—", "missed"))
    return out


def markdown(result: dict[str, Any]) -> str:
    """The whole report."""
    rows, targets = result["rows"], result["targets"]
    load = [r["load1"] for r in rows]
    lines = [
        f"# Pages in a browser — {result['when'][:16].replace('T', ' ')}",
        "",
        f"`python -m bench.pages`, commit {result['commit']}, database `{result['database']}` with the clock "
        f"at {result['now']}, {result['cores']} cores, headless Chromium at 1600×1000. Seconds from the "
        "navigation or the press until Streamlit's run is over and the page is drawn; server CPU "
        "seconds over the same time (the honest figure when the machine is shared). "
        f"Load average (1 min) {result['load_start'][0]:.2f} at the start, {result['load_end'][0]:.2f} "
        f"at the end, {min(load):.2f}–{max(load):.2f} during the measurements. Server health after "
        f"{result['health_s']} s; whole run {result['minutes']} min; server tracebacks: "
        f"{result['server_tracebacks']}.",
        "",
        "| target (issue 23) | limit | measured | server CPU | verdict |",
        "|---|--:|--:|--:|---|",
        *(f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in summary(result)),
        "",
        "## Links",
        "",
        "| screen | link | first | server CPU | browser CPU | warm | server CPU | browser CPU "
        "| verdict | load |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|--:|",
    ]
    visits: dict[str, dict[str, dict[str, Any]]] = {}
    for r in rows:
        if r["what"] == "visit":
            visits.setdefault(r["url"] + "\x00" + r["screen"], {})[r["role"]] = r
    for key, by_role in visits.items():
        first, warm = by_role.get("first") or by_role.get("cold"), by_role.get("warm")
        verdicts = [_verdict(first["seconds"], targets["first"])]
        if warm is not None:
            verdicts.append(_verdict(warm["seconds"], targets["warm"]))
        url, name = key.split("\x00")
        verdict, load = _worst(verdicts), first["load1"]
        lines.append(f"| {name} | `{url}` | {_cells(first)} | {_cells(warm)} | {verdict} | {load:.1f} |")
    lines += [
        "",
        "## Widget changes and the map's drill-down",
        "",
        "A change to a value not shown before is *first*; going back to the value the page had "
        'just drawn is *warm* (named "(back)").',
        "",
        "| link | change | role | seconds | server CPU | browser CPU | verdict | load |",
        "|---|---|---|--:|--:|--:|---|--:|",
    ]
    for r in _changes(rows):
        note = f" ({r['error']})" if r["error"] else ""
        lines.append(
            f"| `{r['url']}` | {r['what']}{note} | {r['role']} | {_cells(r)} | "
            f"{_verdict(r['seconds'], targets['change'])} | {r['load1']:.1f} |"
        )
    failed = [r for r in rows if r["what"] == "visit" and r["error"]]
    lines += ["", *(f"- `{r['url']}` {r['role']}: {r['error']}" for r in failed)]
    return "\n".join(lines).rstrip() + "\n"


def _cells(row: dict[str, Any] | None) -> str:
    """Seconds, server CPU and browser CPU of a measurement, as three table cells."""
    if row is None:
        return "— | — | —"
    return f"{_s(row['seconds'])} | {_s(row['cpu'])} | {_s(row.get('browser_cpu'))}"


def _worst(verdicts: list[str]) -> str:
    return "error" if "error" in verdicts else "missed" if "missed" in verdicts else "met"
