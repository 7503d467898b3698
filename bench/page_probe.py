"""What ``bench.pages`` does in the browser and to the server: time a page load or a widget change
from the user's action until Streamlit's script run is over and the page is drawn, and empty the
server's caches between screens.

The page carries a small probe (an init script, before Streamlit's own code): a MutationObserver
notes each moment ``stApp`` turns ``data-test-script-state='running'``, and every animation frame
checks whether the page is drawn: connected, not running, the main title there, every Vega chart
holding its canvas or SVG and every deck.gl map its canvas. A measurement ends at the first frame
of the last drawn stretch that follows a run, once that stretch has lasted :data:`QUIET_MS` (a
rerun the page asks for by itself, such as a widget registering its value, is waited for). It
starts at navigation (``performance.now()`` counts from it) or at the last pointer or key press.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from websockets.asyncio.client import connect
from websockets.typing import Origin, Subprotocol

from ops.soak import CHROMIUM_ARGS

CHROMIUM = Path("/usr/bin/chromium")
VIEWPORT = {"width": 1600, "height": 1000}
#: How long the page must stay drawn, with no run starting, for a measurement to end.
QUIET_MS = 750
TIMEOUT_MS = 30_000
TICKS = os.sysconf("SC_CLK_TCK")

PROBE_JS = (
    """
(() => {
  const s = window.__bench = {input: null, busy: false, lastFinish: null, since: null};
  const press = () => { s.input = performance.now(); };
  document.addEventListener('pointerdown', press, true);
  document.addEventListener('keydown', press, true);
  // The top-level fields of a ForwardMsg (protobuf): field number -> its varint, or true.
  const fields = (buffer) => {
    const b = new Uint8Array(buffer), out = {};
    let i = 0;
    const varint = () => {
      let value = 0, scale = 1, byte;
      do { byte = b[i++]; value += (byte & 127) * scale; scale *= 128; } while (byte & 128 && i < b.length);
      return value;
    };
    while (i < b.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { out[field] = varint(); }
      else if (wire === 2) { const n = varint(); i += n; if (!(field in out)) out[field] = true; }
      else if (wire === 1) { i += 8; } else if (wire === 5) { i += 4; } else { break; }
    }
    return out;
  };
  const Native = window.WebSocket;
  const Probed = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener('message', (event) => {
      if (!(event.data instanceof ArrayBuffer)) return;
      const f = fields(event.data);
      if (NEW_SESSION in f) { s.busy = true; s.since = null; }
      if (SCRIPT_FINISHED in f && f[SCRIPT_FINISHED] !== EARLY_FOR_RERUN) {
        s.busy = false; s.since = null; s.lastFinish = performance.now();
      }
    });
    return ws;
  };
  Probed.prototype = Native.prototype;
  Object.assign(Probed, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.WebSocket = Probed;
  const drawn = () => {
    const app = document.querySelector("[data-testid='stApp']");
    if (s.busy || !app || app.dataset.testConnectionState !== 'CONNECTED'
        || app.dataset.testScriptState !== 'notRunning') return false;
    if (!document.querySelector("[data-testid='stMain'] h1")) return false;
    for (const c of document.querySelectorAll("[data-testid='stVegaLiteChart']")) {
      if (!c.querySelector('canvas, svg')) return false;
    }
    for (const c of document.querySelectorAll("[data-testid='stDeckGlJsonChart']")) {
      if (!c.querySelector('canvas')) return false;
    }
    return true;
  };
  const tick = () => {
    if (drawn()) { if (s.since === null) s.since = performance.now(); } else { s.since = null; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
""".replace("NEW_SESSION", "4")
    .replace("SCRIPT_FINISHED", "6")
    .replace("EARLY_FOR_RERUN", "2")
)
# ForwardMsg fields (streamlit/proto/ForwardMsg.proto): new_session = 4, script_finished = 6 whose
# status FINISHED_EARLY_FOR_RERUN = 2 means another run follows at once.

#: Done: a run finished after the start, and the page has been drawn since, for QUIET_MS; then
#: the moment it was drawn.
DONE_JS = """
([start, quiet]) => {
  const s = window.__bench;
  const done = !!s && s.lastFinish !== null && s.lastFinish >= start && s.since !== null
    && s.since >= s.lastFinish && performance.now() - s.since >= quiet;
  return done ? s.since : false;
}
"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process (all its threads) has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def browser_cpu(server_pid: int) -> float:
    """CPU seconds used so far by this process's descendants other than the server: Chromium
    (browser, renderer and utility processes) and Playwright's driver."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    mine, total = {os.getpid()}, 0.0
    for pid in sorted(parents):  # children have higher ids than their parents, nearly always
        if parents[pid] in mine and pid != server_pid:
            mine.add(pid)
    for pid in mine - {os.getpid()}:
        try:
            total += cpu_seconds(pid)
        except (OSError, IndexError, ValueError):
            continue
    return total


@dataclass(frozen=True)
class Timed:
    """One measurement: seconds until drawn, the server's and the browser's CPU seconds
    meanwhile, the load average."""

    seconds: float | None
    cpu: float
    load1: float
    error: str | None = None
    browser_cpu: float = 0.0


class _Meter:
    """CPU seconds of the server and of the browser from now on."""

    def __init__(self, server_pid: int) -> None:
        self.pid, self.load = server_pid, load_average()
        self.server, self.browser = cpu_seconds(server_pid), browser_cpu(server_pid)

    def done(self, seconds: float | None, error: str | None = None) -> Timed:
        server = round(cpu_seconds(self.pid) - self.server, 3)
        browser = round(browser_cpu(self.pid) - self.browser, 3)
        return Timed(None if seconds is None else round(seconds, 3), server, self.load, error, browser)


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless, with nothing reaching outside hosts."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def new_page(browser: Any) -> Any:
    """A page in a fresh context (empty browser cache) at 1600×1000, carrying the probe."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(PROBE_JS)
    return context.new_page()


def _wait_done(page: Any, start: float) -> float:
    """Seconds (from ``start``, page time in ms) until the page was drawn after a run."""
    drawn = page.wait_for_function(DONE_JS, arg=[start, QUIET_MS], timeout=TIMEOUT_MS, polling=50)
    return (float(drawn.json_value()) - start) / 1000


def visit(page: Any, url: str, server_pid: int) -> Timed:
    """Navigate to ``url``; time it from the navigation's start until drawn."""
    meter = _Meter(server_pid)
    try:
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        seconds = _wait_done(page, 0.0)
    except Exception as exc:  # a timeout or a crashed page is a result, not the end of the run
        return meter.done(None, short_error(exc))
    return meter.done(seconds)


def act(page: Any, server_pid: int, action: Any) -> Timed:
    """Run ``action(page)`` (which ends with the user's press); time from that press until drawn."""
    meter = _Meter(server_pid)
    try:
        page.evaluate("window.__bench.input = null")
        action(page)
        start = page.evaluate("window.__bench.input")
        if start is None:
            raise RuntimeError("the action pressed nothing")
        seconds = _wait_done(page, start)
    except Exception as exc:
        return meter.done(None, short_error(exc))
    return meter.done(seconds)


def _open(page: Any, key: str) -> None:
    """Open the option list of the selectbox of widget ``key``: scrolled into view first (a
    click while the page still scrolls only focuses the field), then clicked."""
    box = page.locator(f".st-key-{key} [role='combobox']")
    box.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box.click()


def select_option(key: str, index: int) -> Any:
    """An action: open the selectbox of widget ``key`` and pick its option ``index``."""

    def run(page: Any) -> None:
        _open(page, key)
        options = page.locator("[role='listbox'] [role='option']")
        options.nth(index).wait_for(timeout=10_000)
        page.wait_for_timeout(150)  # the list settles before the user picks
        options.nth(index).click()

    return run


def selected_text(page: Any, key: str) -> str:
    """What the selectbox of widget ``key`` shows."""
    return page.locator(f".st-key-{key} [role='combobox']").input_value(timeout=10_000).strip()


def radio(key: str, index: int) -> Any:
    """An action: pick option ``index`` of the radio group of widget ``key``."""
    return lambda page: page.locator(f".st-key-{key} [role='radiogroup'] label").nth(index).click()


def button(key: str) -> Any:
    """An action: press the button of widget ``key``."""
    return lambda page: page.locator(f".st-key-{key} button").click()


def map_centre(page: Any) -> None:
    """An action: click the middle of the map (a unit of the sample lies there). A click before
    deck.gl has its picking ready selects nothing: then the user clicks again (up to three
    times), and the time runs from the click that drilled down."""
    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
    box = canvas.bounding_box()
    for _ in range(3):
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:
            page.wait_for_function(REACTED_JS, timeout=3_000, polling=50)
            return
        except Exception:  # nothing picked: click again
            continue


#: The server started or finished a run since the last press.
REACTED_JS = """
() => { const s = window.__bench; return s.busy || (s.lastFinish !== null && s.lastFinish >= s.input); }
"""


def clear_caches(port: int) -> None:
    """Empty the server's caches (``st.cache_data`` and ``st.cache_resource``), as the developer
    menu's "Clear caches" does: a session on Streamlit's websocket sends the same message."""

    async def send() -> None:
        async with connect(
            f"ws://127.0.0.1:{port}/_stcore/stream",
            subprotocols=[Subprotocol("streamlit")],
            origin=Origin(f"http://127.0.0.1:{port}"),
            open_timeout=30,
        ) as ws:
            msg = BackMsg()
            msg.clear_cache = True
            await ws.send(msg.SerializeToString())
            await asyncio.sleep(0.3)  # handled in order on the server's loop before the close

    # Playwright's synchronous API keeps an event loop on this thread: send from another.
    worker = threading.Thread(target=asyncio.run, args=(send(),))
    worker.start()
    worker.join(timeout=60)
    time.sleep(0.2)


def load_average() -> float:
    """The load average over the last minute."""
    return round(os.getloadavg()[0], 2)


def short_error(exc: BaseException) -> str:
    """The first line of an error, with its type."""
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:200]


def pick_text(key: str, text: str) -> Any:
    """An action: open the selectbox of widget ``key`` and pick the option that reads exactly
    ``text``, typing it first when the list is long (it renders only the options in view)."""

    def run(page: Any) -> None:
        _open(page, key)
        option = page.get_by_role("option", name=text, exact=True).first
        try:
            option.wait_for(timeout=2_000)
        except Exception:  # not rendered: filter the list by typing
            page.locator(f".st-key-{key} [role='combobox']").fill(text)
            option.wait_for(timeout=10_000)
        page.wait_for_timeout(150)
        option.click()

    return run
