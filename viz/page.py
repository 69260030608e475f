"""Writing one self-contained HTML page: inlined assets, data as inert JSON.

Packet data reaches a page only one way: as JSON inside a
``<script type="application/json">`` block, which the browser never runs, with
``<``, ``>``, ``&`` and the JavaScript line separators escaped so the text can
neither close the block nor start markup. The page's own script reads it with
``JSON.parse`` and shows it with ``textContent``.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SOURCE_MAP = re.compile(
    r"^//# sourceMappingURL=.*$|/\*# sourceMappingURL=.*?\*/", re.M
)
_CLOSING = re.compile(r"</(script|style)|<!--", re.I)


def json_for_script(value: Any) -> str:
    """JSON that is safe to place between ``<script>`` tags as data."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _JSON_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


@cache
def read_asset(name: str) -> str:
    """An asset from ``viz/assets`` ready to inline.

    Source-map comments are dropped (a browser's developer tools would fetch
    them); an asset that could close its own tag is refused.
    """
    text = (resources.files("icsgraph.viz") / "assets" / name).read_text("utf-8")
    text = _SOURCE_MAP.sub("", text)
    if _CLOSING.search(text):
        raise ValueError(f"asset {name} cannot be inlined: it closes its tag")
    return text


@cache
def _environment() -> jinja2.Environment:
    loader = jinja2.PackageLoader("icsgraph.viz", "assets")
    return jinja2.Environment(
        loader=loader, autoescape=True, undefined=jinja2.StrictUndefined
    )


def write_page(template: str, path: Path, **context: Any) -> Path:
    """Render an asset template to ``path`` (UTF-8) and return the path."""
    html = _environment().get_template(template).render(**context)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
