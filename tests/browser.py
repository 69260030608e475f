"""Headless Chromium for tests: open a page offline, wait, count, look, listen.

Uses Debian's /usr/bin/chromium and /usr/bin/chromedriver through selenium 4.
The network is off three ways: a proxy on a closed local port, Chrome's
offline emulation through the DevTools protocol, and no background services.
Every request the page starts is recorded from the DevTools performance log,
so a test can assert that none left the file.

    with open_browser() as browser:
        page = browser.open(path)          # waits for window.icsgraphReady
        assert page.foreign_requests() == []
        assert not is_blank(browser.screenshot())
"""

from __future__ import annotations

import contextlib
import json
import shutil
import struct
import tempfile
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CLOSED_PROXY = "http://127.0.0.1:9"  # discard port; nothing listens there
CHROME_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--disable-features=MediaRouter,OptimizationHints,Translate",
    f"--proxy-server={CLOSED_PROXY}",
    "--proxy-bypass-list=<-loopback>",
)
LOCAL_SCHEMES = ("data:", "blob:", "about:", "chrome-error:")


def chromium_available() -> bool:
    """True when Chromium and its driver are installed (else skip browser tests)."""
    return CHROMIUM.exists() and CHROMEDRIVER.exists()


@dataclass
class Page:
    """What opening one file produced."""

    url: str
    seconds: float  # from navigation start to window.icsgraphReady
    state: dict[str, Any]  # window.icsgraph as the page exposed it
    requests: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        """Requests to anything but the file itself or data:/blob: URLs."""
        return [
            url
            for url in self.requests
            if url.split("#")[0] != self.url and not url.startswith(LOCAL_SCHEMES)
        ]


class Browser:
    """One headless Chromium with its own empty profile."""

    def __init__(self, driver: Any, width: int, height: int) -> None:
        self.driver = driver
        self.size = (width, height)

    def open(self, path: Path, timeout: float = 120.0) -> Page:
        """Load ``path`` and wait until the page sets ``window.icsgraphReady``."""
        url = path.resolve().as_uri()
        self.driver.get_log("performance")  # drop what came before
        start = time.monotonic()
        self.driver.get(url)
        self.wait_for("return window.icsgraphReady === true", timeout)
        seconds = time.monotonic() - start
        state = self.driver.execute_script("return window.icsgraph || {}")
        return Page(url, seconds, state, self.requests())

    def wait_for(self, script: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.driver.execute_script(script):
            if time.monotonic() > deadline:
                raise TimeoutError(f"page not ready after {timeout}s: {script}")
            time.sleep(0.05)

    def requests(self) -> list[str]:
        """URLs of every request seen since the last call (DevTools log)."""
        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        return urls

    def run(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def text(self, css: str = "body") -> str:
        """The visible text of the first element matching ``css``."""
        from selenium.webdriver.common.by import By

        return str(self.driver.find_element(By.CSS_SELECTOR, css).text)

    def screenshot(self) -> bytes:
        """The viewport as PNG bytes."""
        return bytes(self.driver.get_screenshot_as_png())


def _options(profile: Path, width: int, height: int) -> Any:
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = str(CHROMIUM)
    for arg in (*CHROME_ARGS, f"--user-data-dir={profile}"):
        options.add_argument(arg)
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return options


def _cut_network(driver: Any) -> None:
    driver.execute_cdp_cmd("Network.enable", {})
    conditions = {
        "offline": True,
        "latency": 0,
        "downloadThroughput": 0,
        "uploadThroughput": 0,
    }
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", conditions)


@contextlib.contextmanager
def open_browser(width: int = 1280, height: int = 800) -> Iterator[Browser]:
    """A headless Chromium with the network off; quit and cleaned up after."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = Path(tempfile.mkdtemp(prefix="icsgraph-chromium-"))
    service = Service(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(service=service, options=_options(profile, width, height))
    try:
        driver.set_window_size(width, height)
        _cut_network(driver)
        yield Browser(driver, width, height)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


# --- PNG decoding without PIL: enough to tell a drawing from a blank page ---


def decode_png(png: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, bytes per pixel and unfiltered rows of an 8-bit PNG."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, bytearray(), b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError("only 8-bit, non-interlaced grey/RGB(A) PNGs are decoded")
    return (
        width,
        height,
        channels,
        _unfilter(zlib.decompress(idat), width * channels, channels),
    )


def _unfilter(raw: bytes, stride: int, bpp: int) -> list[bytes]:
    rows: list[bytes] = []
    prior = bytearray(stride)
    for start in range(0, len(raw), stride + 1):
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prior, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prior[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prior[i], prior[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prior = line
    return rows


def ink_fraction(png: bytes, region: tuple[int, int, int, int] | None = None) -> float:
    """Share of pixels (in ``region`` x0, y0, x1, y1) that differ from the
    region's most common colour: 0.0 for a blank page."""
    width, height, bpp, rows = decode_png(png)
    x0, y0, x1, y1 = region or (0, 0, width, height)
    counts: dict[bytes, int] = {}
    for row in rows[y0:y1]:
        for x in range(x0, min(x1, width)):
            pixel = row[x * bpp : x * bpp + min(bpp, 3)]
            counts[pixel] = counts.get(pixel, 0) + 1
    total = sum(counts.values())
    return (total - max(counts.values())) / total if total else 0.0
