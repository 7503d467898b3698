"""docs/performance.md shows the latest benchmark as bench/results/latest.json holds it."""

from __future__ import annotations

import json

from bench import docs


def test_the_performance_page_shows_the_latest_results() -> None:
    results = json.loads(docs.RESULTS.read_text(encoding="utf-8"))
    page = docs.PAGE.read_text(encoding="utf-8")
    assert docs.render(page, results) == page, "run python -m bench.docs"


def test_the_block_follows_the_results() -> None:
    results = json.loads(docs.RESULTS.read_text(encoding="utf-8"))
    page = docs.PAGE.read_text(encoding="utf-8")
    # One figure changed in the results: the page's block changes with it, and nothing else.
    first = next(iter(results["runs"]))
    screens = results["runs"][first]["design"]["screens"]
    name = next(iter(screens))
    screens[name] = 1.234  # seconds → "1,234 ms"
    changed = docs.render(page, results)
    assert changed != page and "1,234 ms" in changed
    before, after = page.split(docs.BEGIN)[0], page.split(docs.END)[1]
    assert changed.startswith(before) and changed.endswith(after)
