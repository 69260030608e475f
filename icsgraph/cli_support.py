"""What every command shares: logging set-up and turning errors into exits."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from icsgraph.errors import DatabaseUnavailable, IcsgraphError, QueryError

P = ParamSpec("P")
R = TypeVar("R")

INTERRUPTED_EXIT = 130


def configure_logging(verbose: int) -> None:
    """Only the CLI sets handlers; scapy's logger does not propagate."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    logging.getLogger("scapy").setLevel(logging.ERROR)
    logging.getLogger("neo4j").setLevel(max(level, logging.WARNING))


def fail(message: str, code: int) -> typer.Exit:
    """Print one line to stderr and give the exit to raise."""
    typer.secho(f"icsgraph: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def as_icsgraph_error(exc: Exception) -> IcsgraphError | None:
    """A file that cannot be written or a Neo4j lost mid-command, as one line.

    ``open_driver`` checks the server before a command starts; this covers a
    server that goes away or fails afterwards, and an ``-o`` that cannot be
    written. The driver is only looked at when a command has imported it.
    """
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return IcsgraphError(f"{where}{exc.strerror or exc}")
    neo4j = sys.modules.get("neo4j.exceptions")
    if neo4j is None:
        return None
    if isinstance(exc, neo4j.ServiceUnavailable | neo4j.SessionExpired):
        return DatabaseUnavailable(f"lost the Neo4j connection: {_first_line(exc)}")
    if isinstance(exc, neo4j.Neo4jError):
        return QueryError(_first_line(exc))
    return None


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "message", None) or exc)
    return text.splitlines()[0] if text.strip() else type(exc).__name__


def exits_cleanly(fn: Callable[P, R]) -> Callable[P, R]:
    """Map IcsgraphError and Ctrl-C to a one-line message and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except IcsgraphError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except Exception as exc:
            known = as_icsgraph_error(exc)
            if known is None:
                raise
            raise fail(str(known), known.exit_code) from None
        except KeyboardInterrupt:
            msg = "interrupted; running the same command again is safe"
            raise fail(msg, INTERRUPTED_EXIT) from None

    return wrapper
