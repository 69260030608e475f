"""`icsgraph db start|stop|status` against a real local Neo4j of its own.

Each test has its own ICSGRAPH_HOME and Bolt port, so the server the rest of
the suite uses is never touched.
"""

from __future__ import annotations

import contextlib
import socket
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest
from neo4j.exceptions import AuthError
from typer.testing import CliRunner

from icsgraph.cli import app
from icsgraph.localdb import stop_server
from icsgraph.settings import LocalServerSettings, load_local_settings

pytestmark = pytest.mark.integration

PORT = 7697
BUSY_PORT = 7696


@pytest.fixture
def local(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[LocalServerSettings]:
    monkeypatch.setenv("ICSGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ICSGRAPH_LOCAL_BOLT_PORT", str(PORT))
    settings = load_local_settings()
    yield settings
    stop_server(settings)


def db(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["db", *args])
    return result.exit_code, result.stdout, result.stderr


def status_lines(out: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in out.splitlines())


def password(settings: LocalServerSettings) -> str:
    return settings.password_file.read_text(encoding="utf-8").strip()


def non_loopback_address() -> str | None:
    """The address this machine would use to reach the outside, if any."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # UDP connect sends nothing
        except OSError:
            return None
        address: str = s.getsockname()[0]
    return None if address.startswith("127.") else address


def test_start_stop_restart_keeps_data_and_auth(local: LocalServerSettings) -> None:
    token = uuid.uuid4().hex

    assert db("start")[0] == 0
    code, out, _ = db("status")
    assert code == 0
    assert status_lines(out)["state"] == "running"
    assert status_lines(out)["uri"] == f"bolt://127.0.0.1:{PORT}"
    code, out, _ = db("start")
    assert (code, "already running" in out) == (0, True)
    with neo4j.GraphDatabase.driver(local.uri, auth=("neo4j", password(local))) as d:
        d.execute_query("CREATE (:LocalDbProbe {token: $token})", token=token)

    assert db("stop") == (0, "local Neo4j stopped\n", "")
    assert status_lines(db("status")[1])["state"] == "stopped"
    assert db("start")[0] == 0

    with neo4j.GraphDatabase.driver(local.uri, auth=("neo4j", password(local))) as d:
        records, _, _ = d.execute_query(
            "MATCH (p:LocalDbProbe) RETURN p.token AS token"
        )
    assert [r["token"] for r in records] == [token]
    assert stat.S_IMODE(local.password_file.stat().st_mode) == 0o600
    with (
        pytest.raises(AuthError),
        neo4j.GraphDatabase.driver(local.uri, auth=("neo4j", "not-it")) as d,
    ):
        d.verify_connectivity()
    address = non_loopback_address()
    if address is not None:
        with pytest.raises((ConnectionRefusedError, TimeoutError)):  # 127.0.0.1 only
            socket.create_connection((address, PORT), timeout=3).close()
    assert db("stop")[0] == 0
    assert not local.password_file.with_name("neo4j.pid").exists()


def test_start_on_a_taken_port_fails_in_one_line(local: LocalServerSettings) -> None:
    with contextlib.closing(socket.socket()) as busy:
        busy.bind(("127.0.0.1", BUSY_PORT))
        busy.listen()
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("ICSGRAPH_LOCAL_BOLT_PORT", str(BUSY_PORT))
            code, out, err = db("start")

    assert code == 5
    assert out == ""
    assert err.count("\n") == 1
    assert f"port {BUSY_PORT} on 127.0.0.1 is taken" in err


def test_stop_and_status_when_never_started(local: LocalServerSettings) -> None:
    assert db("stop") == (0, "local Neo4j was not running\n", "")
    assert status_lines(db("status")[1])["state"] == "stopped"


def test_launcher_failure_is_one_line_quoting_the_log(
    local: LocalServerSettings,
) -> None:
    local.home.mkdir(parents=True)
    local.data_dir.write_text("not a folder\n", encoding="utf-8")

    code, out, err = db("start")

    assert code == 5
    assert out == ""
    assert err.count("\n") == 1
    assert f"exited during start; see {local.home / 'neo4j.log'}" in err
    assert "FileAlreadyExistsException" in err
    assert status_lines(db("status")[1])["state"] == "stopped"
