"""Errors that reach a command turn into one line and an exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from icsgraph.cli_support import exits_cleanly
from icsgraph.errors import DatabaseUnavailable, IcsgraphError, QueryError


def test_a_neo4j_lost_mid_command_is_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from neo4j.exceptions import ServiceUnavailable

    @exits_cleanly
    def command() -> None:
        raise ServiceUnavailable("Failed to read from defunct connection\nmore")

    with pytest.raises(typer.Exit) as exited:
        command()

    assert exited.value.exit_code == DatabaseUnavailable.exit_code
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "icsgraph: lost the Neo4j connection: Failed to read from defunct connection"
    ]


def test_a_server_error_mid_command_is_a_query_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from neo4j.exceptions import Neo4jError

    @exits_cleanly
    def command() -> None:
        raise Neo4jError("out of memory\nstack")

    with pytest.raises(typer.Exit) as exited:
        command()

    assert exited.value.exit_code == QueryError.exit_code
    assert capsys.readouterr().err.count("\n") == 1


def test_an_output_that_cannot_be_written_names_the_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")

    @exits_cleanly
    def command() -> None:
        (blocker / "map.html").write_text("x")

    with pytest.raises(typer.Exit) as exited:
        command()

    assert exited.value.exit_code == IcsgraphError.exit_code
    assert capsys.readouterr().err.startswith(f"icsgraph: {blocker / 'map.html'}: ")


def test_other_exceptions_are_left_alone() -> None:
    @exits_cleanly
    def command() -> None:
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        command()
