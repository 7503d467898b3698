"""One wall viewer, speaking Streamlit's own websocket protocol (for ``ops.load``).

A browser showing the wall opens ``/_stcore/stream``, sends a ``BackMsg`` whose ``rerun_script``
(a ``ClientState``: query string, page name) starts a run of the page, and draws the
``ForwardMsg``s that stream back until ``script_finished``. A fragment with ``run_every`` makes the
server send ``auto_rerun`` (interval, fragment id); the browser then asks for that fragment's
rerun on a timer (``rerun_script`` with ``fragment_id`` and ``is_auto_rerun``). This client does
the same, without drawing, and times each run from its request to its ``script_finished``:
the server's time for the run (plus a loopback hop). A rerun falling due while a run is still in
flight is not sent (counted as ``late``), as a busy server would delay the browser's too.

Errors counted: an exception element, an error alert (``st.error``: the dashboard's database or
stale warnings), a compile error, a run not finished within ``RUN_TIMEOUT``, a dropped socket.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.typing import Origin, Subprotocol

#: A run that has not finished after this long is an error (and the session is dropped).
RUN_TIMEOUT = 120.0
FINISHED_OK = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


@dataclass
class Run:
    """One timed run: ``kind`` page (a full run we asked for), fragment (an auto-rerun)."""

    viewer: int
    kind: str
    started: float  # seconds since the load began
    seconds: float
    ok: bool


@dataclass
class Tally:
    """What every viewer saw, shared by all of them (one event loop: no locks needed)."""

    t0: float
    runs: list[Run] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    late: int = 0
    sessions: int = 0

    def error(self, viewer: int, what: str) -> None:
        """Record an error (first 200 characters), with when and which viewer."""
        self.errors.append(f"{time.monotonic() - self.t0:7.1f}s viewer {viewer}: {what[:200]}")


def page_request(query_string: str, page_name: str, fragment: str = "", page_hash: str = "") -> bytes:
    """The BackMsg that asks for a run of the page (or of one fragment of it)."""
    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = query_string
    state.page_name = page_name
    state.page_script_hash = page_hash
    state.widget_states.SetInParent()
    state.context_info.timezone = "Asia/Ho_Chi_Minh"
    state.context_info.locale = "vi-VN"
    if fragment:
        state.fragment_id = fragment
        state.is_auto_rerun = True
    return msg.SerializeToString()


def element_error(msg: ForwardMsg) -> str | None:
    """The error an element of the page shows, if it is one."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return None
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception":
        return f"exception element: {element.exception.type}: {element.exception.message}"
    if kind == "alert" and element.alert.format == Alert.ERROR:
        return f"error alert: {element.alert.body}"
    return None


class Viewer:
    """One wall browser: sessions one after another until ``until``, each reopened after
    ``reopen`` seconds (a reload; 0 = one session).
    """

    def __init__(self, index: int, port: int, path: str, query: str, tally: Tally) -> None:
        """Viewer ``index`` of the page at ``path`` with ``query`` on ``port``."""
        self.index, self.port, self.tally = index, port, tally
        self.page_name, self.query = path.strip("/"), query
        self.page_hash = ""

    async def run(self, until: float, reopen: float, delay: float) -> None:
        """Open sessions until ``until`` (monotonic); start after ``delay`` seconds."""
        await asyncio.sleep(delay)
        while time.monotonic() < until - 1:
            # Reloads spread over ±20 % of the interval, as walls started at different times.
            end = until if reopen <= 0 else min(until, time.monotonic() + reopen * random.uniform(0.8, 1.2))
            try:
                await self.session(end)
            except Exception as exc:  # a dropped socket or a refused connection is an error
                self.tally.error(self.index, f"{type(exc).__name__}: {exc}")
                await asyncio.sleep(1)

    async def session(self, end: float) -> None:
        """One browser session: a page run, then the fragment reruns the server asks for."""
        url = f"ws://127.0.0.1:{self.port}/_stcore/stream"
        async with connect(
            url,
            subprotocols=[Subprotocol("streamlit")],
            origin=Origin(f"http://127.0.0.1:{self.port}"),
            max_size=None,
            ping_interval=None,  # browsers do not ping; a busy server must not drop us for it
            open_timeout=30,
            close_timeout=5,
        ) as ws:
            self.tally.sessions += 1
            timers: dict[str, tuple[float, float]] = {}  # fragment id → (interval, next due)
            pending: tuple[str, float] | None = ("page", time.monotonic())
            await ws.send(page_request(self.query, self.page_name, page_hash=self.page_hash))
            while True:
                now = time.monotonic()
                if pending and now - pending[1] > RUN_TIMEOUT:
                    self.tally.error(self.index, f"{pending[0]} run not finished after {RUN_TIMEOUT:.0f} s")
                    return
                if not pending and now >= end:
                    return
                for fragment, (interval, due) in list(timers.items()):
                    if now < due:
                        continue
                    timers[fragment] = (interval, due + interval)
                    if pending:
                        self.tally.late += 1
                        continue
                    pending = ("fragment", now)
                    await ws.send(page_request(self.query, self.page_name, fragment, self.page_hash))
                wake = min(
                    [end, pending[1] + RUN_TIMEOUT if pending else end] + [d for _, d in timers.values()]
                )
                try:
                    raw = await asyncio.wait_for(ws.recv(), timeout=max(0.05, wake - time.monotonic()))
                except TimeoutError:
                    continue
                pending = self.handle(ForwardMsg.FromString(raw), pending, timers)

    def handle(
        self, msg: ForwardMsg, pending: tuple[str, float] | None, timers: dict[str, tuple[float, float]]
    ) -> tuple[str, float] | None:
        """Note what ``msg`` says; returns the run still in flight (None once it finished)."""
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash or self.page_hash
            if not msg.metadata.run.fragment_ids:  # a full run: the browser drops every fragment
                timers.clear()  # timer, and the run sends again those it still has
            if pending is None:  # a run the server started itself (st.switch_page, a rotation)
                pending = ("server", time.monotonic())
        elif kind == "auto_rerun":
            interval = msg.auto_rerun.interval
            timers.setdefault(msg.auto_rerun.fragment_id, (interval, time.monotonic() + interval))
        elif kind == "stop_auto_rerun":
            for fragment in msg.stop_auto_rerun.fragment_ids:
                timers.pop(fragment, None)
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            self.tally.error(self.index, "script compilation exception")
        elif kind == "script_finished" and pending is not None:
            seconds = time.monotonic() - pending[1]
            ok = msg.script_finished in FINISHED_OK
            self.tally.runs.append(
                Run(self.index, pending[0], round(pending[1] - self.tally.t0, 2), seconds, ok)
            )
            if not ok and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                self.tally.error(self.index, f"script finished with status {msg.script_finished}")
            return None
        else:
            found = element_error(msg)
            if found:
                self.tally.error(self.index, found)
        return pending


async def drive(
    port: int, path: str, query: str, viewers: int, seconds: float, reopen: float, ramp: float
) -> Tally:
    """``viewers`` wall viewers for ``seconds``; each opens its first session within ``ramp``
    seconds of the start (0 = all at once, as walls reconnecting to a restarted server).
    """
    tally = Tally(time.monotonic())
    until = tally.t0 + seconds
    walls = [Viewer(i, port, path, query, tally) for i in range(viewers)]
    await asyncio.gather(*(w.run(until, reopen, ramp * i / max(1, viewers)) for i, w in enumerate(walls)))
    return tally
