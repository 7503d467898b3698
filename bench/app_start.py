"""The app's cold start to ``/_stcore/health`` and the server's memory after one session."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _wait(url: str, timeout: float) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                if answer.status == 200:
                    return True
        except OSError:
            time.sleep(0.05)
    return False


def cold_start(url: str, now: str) -> dict[str, Any]:
    """Start ``streamlit run app.py`` on ``url`` with the clock at ``now``; time the health check,
    then open the overview in headless Chromium and read the server's resident memory."""
    port = _free_port()
    env = {**os.environ, "IOC_DATABASE_URL": url, "IOC_NOW": now}
    args = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
            "--server.port", str(port), "--browser.gatherUsageStats", "false"]  # fmt: skip
    started = time.perf_counter()
    server = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out: dict[str, Any] = {}
    try:
        if not _wait(f"http://127.0.0.1:{port}/_stcore/health", 60):
            return {"error": "no health answer within 60 s"}
        out["health_s"] = time.perf_counter() - started
        out["rss_idle_mb"] = _rss_mb(server.pid)
        out.update(_session(port))
        out["rss_after_session_mb"] = _rss_mb(server.pid)
        out["session_mb"] = out["rss_after_session_mb"] - out["rss_idle_mb"]
        # A session that goes on to open every screen of the menu, once: the memory a district
        # chair's or press officer's visit leaves, read a minute later (after a malloc trim).
        out.update(_tour(port))
        time.sleep(65)
        out["rss_after_tour_mb"] = _rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=20)
    return out


def _session(port: int) -> dict[str, Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"session": "playwright not installed"}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        page = browser.new_page()
        started = time.perf_counter()
        page.goto(f"http://127.0.0.1:{port}/", wait_until="networkidle", timeout=120_000)
        page.wait_for_selector("[data-testid='stMetric'], [data-testid='stMetricValue']", timeout=120_000)
        shown = time.perf_counter() - started
        browser.close()
    return {"first_page_s": shown}


def _tour(port: int) -> dict[str, Any]:
    """Open every screen of the sidebar menu in turn; the seconds until each page's network
    went idle (its data fetched and drawn)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {}
    seconds: dict[str, float] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/", wait_until="networkidle", timeout=180_000)
        page.wait_for_selector("[data-testid='stSidebarNav'] a", timeout=180_000)
        links = page.eval_on_selector_all("[data-testid='stSidebarNav'] a", "els => els.map(e => e.href)")
        for link in links:
            started = time.perf_counter()
            page.goto(link, wait_until="networkidle", timeout=180_000)
            screen = urllib.parse.urlparse(link).path.strip("/") or "overview"
            seconds[screen] = round(time.perf_counter() - started, 1)
        browser.close()
    return {"tour_s": seconds}
