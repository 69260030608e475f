"""Bad input through the real `icsgraph` executable: one line, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from icsgraph.errors import CaptureError, DatabaseUnavailable

pytestmark = pytest.mark.integration

ICSGRAPH = Path(sys.executable).with_name("icsgraph")


def run(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(ICSGRAPH), *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = [
        line for line in result.stderr.splitlines() if line.startswith("icsgraph:")
    ]
    assert len(lines) >= 1, result.stderr
    return lines[-1]


def test_missing_file_is_one_line_and_non_zero(case: str, tmp_path: Path) -> None:
    result = run("ingest", str(tmp_path / "nope.pcap"), "--case", case)

    assert result.returncode == CaptureError.exit_code
    assert "nope.pcap" in one_line_error(result)


def test_not_a_capture_is_one_line_and_non_zero(case: str, tmp_path: Path) -> None:
    text = tmp_path / "notes.pcap"
    text.write_text("these are notes, not packets\n" * 20)

    result = run("ingest", str(text), "--case", case)

    assert result.returncode == CaptureError.exit_code
    assert "notes.pcap" in one_line_error(result)


def test_readable_captures_are_kept_when_another_fails(
    case: str, tmp_path: Path, pcaps: Path
) -> None:
    good = pcaps / "dnp3-cold-restart.pcap"

    result = run("ingest", str(tmp_path / "missing.pcap"), str(good), "--case", case)
    listed = run(
        "query",
        "MATCH (s:Session {case: $case}) RETURN count(s) AS n",
        "--case",
        case,
        "--format",
        "csv",
    )

    assert result.returncode == CaptureError.exit_code
    assert "1 of 2 captures unreadable" in one_line_error(result)
    assert listed.stdout.splitlines() == ["n", "1"]


def test_truncated_capture_ingests_what_is_there(case: str, pcaps: Path) -> None:
    result = run("ingest", str(pcaps / "melsec-cut-short.pcap"), "--case", case)

    assert result.returncode == 0, result.stderr
    assert "2041 packets" in result.stdout
    assert "cut short" in result.stdout


def test_neo4j_down_names_the_uri_and_what_to_run(tmp_path: Path, pcaps: Path) -> None:
    env = {"ICSGRAPH_NEO4J_URI": "bolt://127.0.0.1:9", "ICSGRAPH_NEO4J_PASSWORD": "x"}

    result = run(
        "ingest", str(pcaps / "dnp3-cold-restart.pcap"), "--case", "x", env=env
    )

    assert result.returncode == DatabaseUnavailable.exit_code
    line = one_line_error(result)
    assert "bolt://127.0.0.1:9" in line
    assert "icsgraph db start" in line


def test_wrong_password_is_one_line(neo4j_settings) -> None:  # type: ignore[no-untyped-def]
    env = {
        "ICSGRAPH_NEO4J_URI": neo4j_settings.uri,
        "ICSGRAPH_NEO4J_PASSWORD": "certainly-not-the-password",
    }

    result = run("query", "RETURN 1", env=env)

    assert result.returncode == DatabaseUnavailable.exit_code
    assert "refused" in one_line_error(result)


def test_query_that_writes_needs_write_flag(case: str) -> None:
    refused = run("query", "CREATE (:Scratch {case: $case})", "--case", case)
    allowed = run("query", "MERGE (:Scratch {case: $case})", "--case", case, "--write")
    cleanup = run("query", "MATCH (n:Scratch) DELETE n", "--write")

    assert refused.returncode != 0
    assert "--write" in one_line_error(refused)
    assert allowed.returncode == 0, allowed.stderr
    assert cleanup.returncode == 0


def test_unknown_link_type_is_counted_and_skipped(case: str, tmp_path: Path) -> None:
    from scapy.utils import PcapWriter

    odd = tmp_path / "odd-link.pcap"
    with PcapWriter(str(odd), linktype=147, sync=True) as writer:  # DLT_USER0
        writer.write(b"\x00" * 40)
        writer.write(b"\x01" * 50)

    result = run("ingest", str(odd), "--case", case)
    stored = run(
        "query",
        "MATCH (:Case {id: $case})-[:HAS_CAPTURE]->(c:Capture) "
        "RETURN c.packets AS packets, c.skipped_packets AS skipped, "
        "c.skipped_bytes AS bytes, c.complete AS complete",
        "--case",
        case,
        "--format",
        "csv",
    )

    assert result.returncode == 0, result.stderr
    assert "skipped 2 (unknown link type 147: 2 packets/90 bytes)" in result.stdout
    assert stored.stdout.splitlines() == [
        "packets,skipped,bytes,complete",
        "2,2,90,true",
    ]


def test_map_output_that_cannot_be_written_is_one_line(
    case: str, tmp_path: Path, pcaps: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    ingested = run("ingest", str(pcaps / "dnp3-cold-restart.pcap"), "--case", case)

    result = run("map", "--case", case, "-o", str(blocker / "map.html"))

    assert ingested.returncode == 0, ingested.stderr
    assert result.returncode == 1
    assert str(blocker) in one_line_error(result)
