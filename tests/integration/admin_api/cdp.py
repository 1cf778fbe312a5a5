"""Drive Debian's headless Chromium over the DevTools protocol on a pipe (`--remote-debugging-pipe`: fd 3 in,
fd 4 out, NUL-terminated JSON), so a test can click real buttons inside a framed page without a websocket client.

Site isolation is turned off so a cross-origin iframe (the canvas panel inside the fake Lead page) lives in the
page's renderer, where `Page.createIsolatedWorld` can read it and mouse events reach it by page coordinates.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--hide-scrollbars", "--ignore-certificate-errors",
    "--disable-site-isolation-trials", "--disable-features=IsolateOrigins,site-per-process", "--window-size=1100,1300",
)  # fmt: skip


class Chromium:
    """One headless Chromium with a page session; `call` sends a command and waits for its answer."""

    def __init__(self, binary: str, profile: Path, timeout: float = 30.0) -> None:
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def wire() -> None:
            inbound = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
            outbound = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)
            os.dup2(inbound, 3)
            os.dup2(outbound, 4)

        self.timeout = timeout
        self.process = subprocess.Popen(
            [binary, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            pass_fds=(3, 4),
            preexec_fn=wire,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._ids = iter(range(1, 1_000_000))
        self._answers: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self.events: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()
        pages = [t for t in self.call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
        self.session = self.call("Target.attachToTarget", targetId=pages[0]["targetId"], flatten=True)["sessionId"]
        self.page("Page.enable")

    def _read(self) -> None:
        buffer = b""
        while True:
            chunk = os.read(self._from_browser, 65536)
            if not chunk:
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" not in message:
                    with self._lock:
                        self.events.append(message)
                    continue
                with self._lock:
                    box = self._answers.get(message["id"])
                if box is not None:
                    box.put(message)

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command (to the browser, or to a session) and return its result; errors raise."""
        ident = next(self._ids)
        box: queue.Queue[dict[str, Any]] = queue.Queue()
        with self._lock:
            self._answers[ident] = box
        message: dict[str, Any] = {"id": ident, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        answer = box.get(timeout=self.timeout)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return dict(answer.get("result") or {})

    def page(self, method: str, **params: Any) -> dict[str, Any]:
        """A command to the page session."""
        return self.call(method, self.session, **params)

    def navigate(self, url: str) -> None:
        """Open `url` in the page."""
        self.page("Page.navigate", url=url)

    def evaluate(self, expression: str, context: int | None = None) -> Any:
        """The value of a JavaScript expression in the page (or in an isolated world of a frame)."""
        params: dict[str, Any] = {"expression": expression, "returnByValue": True}
        if context is not None:
            params["contextId"] = context
        answer = self.page("Runtime.evaluate", **params)
        if "exceptionDetails" in answer:
            raise RuntimeError(
                f"{expression[:80]}: {answer['exceptionDetails'].get('exception', {}).get('description')}"
            )
        return answer.get("result", {}).get("value")

    def child_frame_world(self) -> int | None:
        """An isolated JavaScript world in the page's first child frame (the canvas iframe), if it exists."""
        children = self.page("Page.getFrameTree")["frameTree"].get("childFrames") or []
        if not children:
            return None
        frame_id = children[0]["frame"]["id"]
        return int(self.page("Page.createIsolatedWorld", frameId=frame_id, worldName="test")["executionContextId"])

    def frame_text(self, selector: str = "body") -> str:
        """Text of an element inside the canvas iframe ('' until it is there)."""
        world = self.child_frame_world()
        if world is None:
            return ""
        found = self.evaluate(f"(document.querySelector({json.dumps(selector)}) || {{}}).innerText || ''", world)
        return str(found or "")

    def wait_frame_text(self, needle: str, selector: str = "body", timeout: float = 30.0) -> str:
        """Wait until the iframe's `selector` text contains `needle`; return that text."""
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.frame_text(selector)
            if needle in text:
                return text
            time.sleep(0.2)
        raise AssertionError(f"{needle!r} never appeared in the frame; last text: {text[:500]!r}")

    def click_in_frame(self, selector: str) -> None:
        """A real mouse click (press and release) on an element inside the canvas iframe."""
        world = self.child_frame_world()
        assert world is not None, "no canvas iframe"
        self.evaluate(f"document.querySelector({json.dumps(selector)}).scrollIntoView({{block: 'center'}})", world)
        inner = self.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
            " return [r.left + r.width / 2, r.top + r.height / 2]; })()",
            world,
        )
        outer = self.evaluate(
            "(() => { const f = document.querySelector('iframe'); const r = f.getBoundingClientRect();"
            " f.scrollIntoView({block: 'start'}); const s = f.getBoundingClientRect();"
            " return [s.left + f.clientLeft, s.top + f.clientTop]; })()"
        )
        x, y = outer[0] + inner[0], outer[1] + inner[1]
        for kind in ("mousePressed", "mouseReleased"):
            self.page("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def responses(self, url: str) -> list[dict[str, Any]]:
        """Responses the page received for `url` so far (needs `Network.enable`)."""
        with self._lock:
            events = list(self.events)
        return [
            e["params"]["response"]
            for e in events
            if e.get("method") == "Network.responseReceived" and e["params"]["response"]["url"] == url
        ]

    def child_frame_url(self) -> tuple[str, str | None]:
        """(url, unreachableUrl) of the first child frame; ("", None) when there is none."""
        children = self.page("Page.getFrameTree")["frameTree"].get("childFrames") or []
        if not children:
            return "", None
        frame = children[0]["frame"]
        return str(frame["url"]), frame.get("unreachableUrl")

    def screenshot(self, path: Path) -> None:
        """Save a PNG of the page as it is now."""
        path.write_bytes(base64.b64decode(self.page("Page.captureScreenshot", format="png")["data"]))

    def close(self) -> None:
        """Ask the browser to quit; kill it if it does not."""
        with contextlib.suppress(RuntimeError, OSError, queue.Empty):
            self.call("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        os.close(self._to_browser)
        os.close(self._from_browser)
