"""What every command shares: logging set-up and turning errors into exits."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from icsgraph.errors import IcsgraphError

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


def exits_cleanly(fn: Callable[P, R]) -> Callable[P, R]:
    """Map IcsgraphError and Ctrl-C to a one-line message and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except IcsgraphError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            msg = "interrupted; running the same command again is safe"
            raise fail(msg, INTERRUPTED_EXIT) from None

    return wrapper
