"""The Cypher the writer runs, kept as files beside this module.

Statement text only ever comes from these files, never from data, which is
why it is safe to hand it to the driver as a ``LiteralString``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import LiteralString


@cache
def statement(name: str) -> LiteralString:
    """The text of ``cypher/<name>.cypher``."""
    text = resources.files(__package__).joinpath(f"cypher/{name}.cypher")
    return text.read_text(encoding="utf-8")


def statements(name: str) -> list[LiteralString]:
    """The ``;``-separated statements of ``cypher/<name>.cypher``."""
    return split_statements(statement(name))


def split_statements(text: LiteralString) -> list[LiteralString]:
    """The ``;``-separated statements of a Cypher text, comments dropped."""
    lines = [
        line
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("//")
    ]
    parts = "\n".join(lines).split(";")
    return [p.strip() for p in parts if p.strip()]
