"""A browser tab as the server sees it: Streamlit's websocket protocol, without a browser.

A Chromium tab on this 2-core machine costs about 10 CPU-seconds to open the latent explorer, on the same
cores as the server, so thirty real tabs measure Chromium more than GenLab. In a lecture hall each student's
browser runs on the student's own laptop; the server sees only the websocket. :class:`Tab` speaks that
protocol (``/_stcore/stream``, protobuf ``BackMsg`` up, ``ForwardMsg`` down), the way Streamlit's frontend
does:

- opening a page is a ``rerun_script`` with the page's URL path and query string;
- moving a widget is a ``rerun_script`` carrying the widget's new value (scoped to the widget's fragment,
  when it lives in one); a button click is a one-shot ``trigger_value``;
- a fragment with ``run_every`` makes the server send ``auto_rerun`` (interval, fragment id); the tab then
  asks for that fragment's rerun on that interval until ``stop_auto_rerun``, as the frontend's timer does.

The server runs exactly the scripts, fragments and figure serialisation it runs for a browser; only the
drawing is missing. Every message is parsed, so an exception element or a "page not found" is seen.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

_WIDGETS = ("slider", "button", "checkbox", "selectbox", "radio", "number_input", "button_group")


@dataclass
class Widget:
    kind: str
    id: str
    label: str
    fragment_id: str
    proto: object

    @property
    def value(self) -> list:
        """A slider's current value as drawn (its ``value`` when set by the script, else its default)."""
        return list(getattr(self.proto, "value", []) or getattr(self.proto, "default", []))


@dataclass
class Tab:
    """One session on ``base`` (``http://host:port``), opened on the page at URL path ``page``."""

    base: str
    page: str
    query: str = ""
    widgets: dict[str, Widget] = field(default_factory=dict)       # by label (last drawn wins)
    images: dict[str, str] = field(default_factory=dict)            # caption -> media URL
    metrics: dict[str, tuple[str, float]] = field(default_factory=dict)  # label -> (value, arrival time)
    exceptions: list[str] = field(default_factory=list)
    page_not_found: bool = False
    finished_runs: int = 0
    auto_reruns: int = 0

    def __post_init__(self) -> None:
        self._ws = None
        self._reader: asyncio.Task | None = None
        self._timers: dict[str, asyncio.Task] = {}
        self._states: dict[str, WidgetState] = {}
        self._page_hash = ""
        self._finished = asyncio.Event()
        self._changed = asyncio.Event()

    # -- connection ------------------------------------------------------------------------------------
    async def open(self, timeout: float = 120.0) -> float:
        """Connect and run the page; seconds until its first script run finished."""
        import websockets

        t0 = time.perf_counter()
        url = self.base.replace("http://", "ws://").replace("https://", "wss://") + "/_stcore/stream"
        self._ws = await asyncio.wait_for(
            websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout), timeout)
        self._reader = asyncio.create_task(self._read())
        await self._rerun()
        await self.wait_finished(timeout)
        return time.perf_counter() - t0

    async def close(self) -> None:
        for task in self._timers.values():
            task.cancel()
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)

    # -- what a user does --------------------------------------------------------------------------------
    async def set_slider(self, label: str, value: float, *, image: str | None = None,
                         timeout: float = 120.0) -> float:
        """Move the slider labelled ``label`` to ``value``; seconds until the run it triggers has finished
        and, when ``image`` is given, the image whose caption contains ``image`` has a new source."""
        w = self.widgets[label]
        state = WidgetState(id=w.id)
        state.double_array_value.data.append(float(value))
        self._states[w.id] = state
        before = self.image(image) if image else None
        t0 = time.perf_counter()
        await self._rerun(fragment_id=w.fragment_id)
        await self.wait_finished(timeout)
        if image:
            await self.wait_for(lambda: self.image(image) not in (None, before), timeout - (time.perf_counter() - t0),
                             f"a new '{image}' image")
        return time.perf_counter() - t0

    async def click(self, label: str, timeout: float = 120.0) -> float:
        """Press the button labelled ``label``; seconds until the run it triggers has finished."""
        w = self.widgets[label]
        trigger = WidgetState(id=w.id, trigger_value=True)
        t0 = time.perf_counter()
        await self._rerun(fragment_id=w.fragment_id, extra=[trigger])
        await self.wait_finished(timeout)
        return time.perf_counter() - t0

    def image(self, caption_part: str) -> str | None:
        return next((url for cap, url in self.images.items() if caption_part in cap), None)

    def slider(self, label_part: str) -> Widget:
        return next(w for w in self.widgets.values() if w.kind == "slider" and label_part in w.label)

    async def wait_finished(self, timeout: float) -> None:
        await asyncio.wait_for(self._finished.wait(), timeout)

    # -- protocol ----------------------------------------------------------------------------------------
    async def _rerun(self, fragment_id: str = "", extra: list[WidgetState] = (), auto: bool = False) -> None:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.page_name = self.page
        cs.page_script_hash = self._page_hash
        cs.widget_states.widgets.extend(list(self._states.values()) + list(extra))
        if fragment_id:
            cs.fragment_id = fragment_id
        cs.is_auto_rerun = auto
        if not auto:
            self._finished.clear()
        await self._ws.send(msg.SerializeToString())

    async def wait_for(self, cond, timeout: float, what: str) -> None:
        """Wait until ``cond()`` holds, checking after each message received (TimeoutError names ``what``)."""
        deadline = time.perf_counter() + timeout
        while not cond():
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no {what} within the timeout")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), left)
            except asyncio.TimeoutError:
                pass

    async def _auto(self, fragment_id: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            self.auto_reruns += 1
            await self._rerun(fragment_id=fragment_id, auto=True)

    async def _read(self) -> None:
        async for data in self._ws:
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "delta":
                self._delta(msg.delta)
            elif kind == "navigation":
                self._page_hash = msg.navigation.page_script_hash
            elif kind == "script_finished":
                self.finished_runs += 1
                if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    self._finished.set()
            elif kind == "auto_rerun":
                fid, every = msg.auto_rerun.fragment_id, msg.auto_rerun.interval
                old = self._timers.pop(fid, None)
                if old is not None:
                    old.cancel()
                self._timers[fid] = asyncio.create_task(self._auto(fid, every))
            elif kind == "stop_auto_rerun":
                fid = msg.stop_auto_rerun.fragment_id
                for key in [k for k in self._timers if not fid or k == fid]:
                    self._timers.pop(key).cancel()
            elif kind == "page_not_found":
                self.page_not_found = True
            self._changed.set()

    def _delta(self, delta) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        el = delta.new_element
        kind = el.WhichOneof("type")
        if kind in _WIDGETS:
            proto = getattr(el, kind)
            label = getattr(proto, "label", "") or proto.id
            self.widgets[label] = Widget(kind, proto.id, label, delta.fragment_id, proto)
        elif kind == "imgs":
            for img in el.imgs.imgs:
                self.images[img.caption] = img.url
        elif kind == "metric":
            self.metrics[el.metric.label] = (el.metric.body, time.perf_counter())
        elif kind == "exception":
            self.exceptions.append(f"{el.exception.type}: {el.exception.message}"[:200])
