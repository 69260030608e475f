"""Masking the secrets a capture leaked, wherever icsgraph prints them.

Credentials are stored in the graph in clear, because the analyst needs
them (was the default password used? the same one on another device?), but
everything icsgraph prints or renders masks them unless asked not to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SECRET_NAMES = frozenset(
    {"password", "passwd", "pass", "secret", "community", "token"}
    | {"nt_response", "lm_response", "nt_hash", "lm_hash", "authorization"}
)
MASK = "********"


def is_secret(name: str) -> bool:
    """Whether a property or column name holds a secret."""
    lowered = name.lower()
    return lowered in SECRET_NAMES or lowered.endswith(("password", ".password"))


def mask(value: Any) -> Any:
    """Secrets inside a value (a node, map or list) replaced by a mask."""
    if isinstance(value, Mapping):
        return {k: MASK if is_secret(k) and v else mask(v) for k, v in value.items()}
    if isinstance(value, list):
        if len(value) == 2 and isinstance(value[0], str) and is_secret(value[0]):
            return [value[0], MASK]  # a (name, value) pair, as packs return them
        return [mask(v) for v in value]
    return value


def mask_rows(keys: list[str], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with secret columns and secret properties masked."""
    return [
        {k: MASK if is_secret(k) and row[k] else mask(row[k]) for k in keys}
        for row in rows
    ]
