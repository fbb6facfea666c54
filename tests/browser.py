"""A headless Chromium driven over the DevTools protocol, for tests that open the report.

Only what the tests need: open a local file, evaluate JavaScript, take a screenshot.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
)


def find_chromium() -> str | None:
    """Path of a Chromium binary, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """One headless Chromium process with one page; use as a context manager."""

    def __init__(self, binary: str, width: int = 1280, height: int = 900) -> None:
        self.binary = binary
        self.width = width
        self.height = height

    def __enter__(self) -> Browser:
        self._profile = tempfile.TemporaryDirectory(prefix="balsis-chromium-")
        self._process = subprocess.Popen(
            [
                self.binary,
                *CHROMIUM_FLAGS,
                "--remote-debugging-port=0",
                f"--user-data-dir={self._profile.name}",
                f"--window-size={self.width},{self.height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = Path(self._profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not port_file.exists() or not port_file.read_text().strip():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError("Chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        self.port = int(port_file.read_text().split()[0])
        self._loop = asyncio.new_event_loop()
        self._ids = itertools.count(1)
        self._loop.run_until_complete(self._connect())
        return self

    def __exit__(self, *exc: object) -> None:
        if getattr(self, "_loop", None) is not None:
            self._loop.run_until_complete(self._close())
            self._loop.close()
            self._loop = None
        self._process.terminate()
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self._profile.cleanup()

    async def _connect(self) -> None:
        self._session = aiohttp.ClientSession()
        async with self._session.get(f"http://127.0.0.1:{self.port}/json/list") as response:
            targets = await response.json(content_type=None)
        page = next(t for t in targets if t.get("type") == "page")
        self._ws = await self._session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)

    async def _close(self) -> None:
        await self._ws.close()
        await self._session.close()

    async def _call(self, method: str, params: dict[str, Any] | None = None,
                    wait_event: str | None = None) -> dict[str, Any]:  # fmt: skip
        call_id = next(self._ids)
        await self._ws.send_str(json.dumps({"id": call_id, "method": method,
                                            "params": params or {}}))  # fmt: skip
        result: dict[str, Any] | None = None
        seen_event = wait_event is None
        while result is None or not seen_event:
            message = json.loads((await self._ws.receive(timeout=120)).data)
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result = message.get("result", {})
            elif message.get("method") == wait_event:
                seen_event = True
        return result

    def call(self, method: str, params: dict[str, Any] | None = None,
             wait_event: str | None = None) -> dict[str, Any]:  # fmt: skip
        """Send one DevTools command; optionally wait for an event as well."""
        return self._loop.run_until_complete(self._call(method, params, wait_event))

    def open(self, path: str | Path) -> None:
        """Load a local file and wait until it has loaded."""
        self.call("Page.enable")
        self.call("Runtime.enable")
        url = Path(path).resolve().as_uri()
        self.call("Page.navigate", {"url": url}, wait_event="Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression in the page."""
        reply = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in reply:
            raise RuntimeError(f"JavaScript error: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def screenshot(self, path: str | Path, full_page: bool = False) -> Path:
        """Save a PNG of the viewport (or of the whole page)."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
            )
            params["clip"] = {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1}
            params["captureBeyondViewport"] = True
        data = self.call("Page.captureScreenshot", params)["data"]
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(data))
        return target


def require_chromium() -> str:
    """The Chromium binary; skip the test when there is none, except in CI, where it fails."""
    import pytest

    binary = find_chromium()
    if binary:
        return binary
    message = "Chromium is not installed (make test installs Debian's chromium package)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
    raise AssertionError  # unreachable
