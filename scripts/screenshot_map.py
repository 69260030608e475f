"""Screenshot a map (or flow) HTML file in headless Chromium, network off.

    .venv/bin/python scripts/screenshot_map.py out/map.html docs/map.png

Uses the test suite's harness (tests/browser.py): the page is opened offline,
the script waits until it has drawn, refuses a page that made a request
beyond its own file or looks blank, and writes the viewport as PNG.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browser import ink_fraction, open_browser

MIN_INK = 0.002  # share of non-background pixels below which a page is blank


def screenshot(page: Path, png: Path, width: int, height: int) -> str:
    """Write the screenshot; return a line describing what was drawn."""
    with open_browser(width, height) as browser:
        opened = browser.open(page)
        if opened.foreign_requests():
            raise SystemExit(
                f"{page}: requests left the file: {opened.foreign_requests()}"
            )
        image = browser.screenshot()
    ink = ink_fraction(image)
    if ink < MIN_INK:
        raise SystemExit(f"{page}: the page looks blank (ink {ink:.4f})")
    png.parent.mkdir(parents=True, exist_ok=True)
    png.write_bytes(image)
    return f"{png}: {width}x{height}, drawn in {opened.seconds:.2f}s, {opened.state}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, help="map or flow HTML file")
    parser.add_argument("png", type=Path, help="where to write the PNG")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=850)
    args = parser.parse_args()
    sys.stdout.write(screenshot(args.page, args.png, args.width, args.height) + "\n")


if __name__ == "__main__":
    main()
