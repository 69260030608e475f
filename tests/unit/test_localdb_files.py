"""The parts of the local server logic that need no Java: files and messages."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from icsgraph.commands.db import format_status
from icsgraph.errors import LocalServerError
from icsgraph.localdb import (
    ServerStatus,
    ensure_password,
    localdb_dir,
    server_status,
    stop_server,
)
from icsgraph.settings import LocalServerSettings


def test_password_is_created_0600_even_with_an_open_umask(tmp_path: Path) -> None:
    path = tmp_path / "neo4j-password"
    old = os.umask(0)
    try:
        first = ensure_password(path)
    finally:
        os.umask(old)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 32
    assert ensure_password(path) == first


def test_empty_password_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "neo4j-password"
    path.write_text("\n", encoding="utf-8")

    with pytest.raises(LocalServerError, match="is empty"):
        ensure_password(path)


def test_localdb_dir_beside_the_package_or_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("ICSGRAPH_LOCALDB_DIR", raising=False)
    assert (localdb_dir() / "pom.xml").is_file()

    monkeypatch.setenv("ICSGRAPH_LOCALDB_DIR", str(tmp_path))
    assert localdb_dir() == tmp_path


def test_stale_pid_file_means_stopped(tmp_path: Path) -> None:
    settings = LocalServerSettings(home=tmp_path, bolt_port=7699)
    (tmp_path / "neo4j.pid").write_text(f"{os.getpid()}\n", encoding="utf-8")

    assert server_status(settings).running is False
    assert stop_server(settings) is False
    assert not (tmp_path / "neo4j.pid").exists()


def test_format_status_lines() -> None:
    status = ServerStatus(
        running=True,
        pid=42,
        uri="bolt://127.0.0.1:7687",
        data_dir=Path("/h/neo4j"),
        store_bytes=3 * 2**20,
        log_file=Path("/h/neo4j.log"),
    )

    assert format_status(status).splitlines() == [
        "state: running",
        "pid: 42",
        "uri: bolt://127.0.0.1:7687",
        "data: /h/neo4j",
        "store: 3.0 MiB",
        "log: /h/neo4j.log",
    ]
