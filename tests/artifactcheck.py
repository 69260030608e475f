"""Reading artifacts back from the graph, and tshark's view of the same capture.

Shared by the artifact tests: each ingests a capture with extraction on (the
real pipeline and `GraphSink`) into a case of its own and compares the
`Artifact` nodes, with the host they are `ABOUT`, with what tshark 4.0
dissects or exports from the same file.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from graphcheck import scalar

from icsgraph.graph.writer import GraphSink
from icsgraph.ingest.extraction import ExtractionStage
from icsgraph.ingest.pipeline import ingest_capture

if TYPE_CHECKING:
    from neo4j import Driver

    from icsgraph.settings import Neo4jSettings


ARTIFACTS = """
MATCH (s:Session {case: $case})-[:YIELDED]->(a:Artifact {kind: $kind})
OPTIONAL MATCH (a)-[:ABOUT]->(h:Host)
RETURN a{.*, about_ip: h.ip, session_index: s.index} AS a
ORDER BY a.first_frame
"""
HOST = "MATCH (h:Host {case: $case, ip: $ip}) RETURN h{.*}"


def ingest(
    driver: Driver,
    settings: Neo4jSettings,
    case: str,
    path: Path,
    cap: int | None = None,
) -> None:
    stage = ExtractionStage() if cap is None else ExtractionStage(cap=cap)
    ingest_capture(path, GraphSink(driver, settings.database, case), extraction=stage)


def found(
    driver: Driver, settings: Neo4jSettings, case: str, kind: str
) -> list[dict[str, Any]]:
    with driver.session(database=settings.database) as session:
        return [r["a"] for r in session.run(ARTIFACTS, case=case, kind=kind)]


def host(driver: Driver, settings: Neo4jSettings, case: str, ip: str) -> Any:
    return scalar(driver, settings.database, HOST, case=case, ip=ip)


def tshark(path: Path, display: str, *fields: str) -> list[list[str]]:
    command = ["tshark", "-n", "-r", str(path), "-Y", display, "-T", "fields"]
    for name in fields:
        command += ["-e", name]
    out = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    return [line.split("\t") for line in out.splitlines()]


def exported(path: Path, protocol: str, folder: Path) -> dict[str, bytes]:
    """The objects ``tshark --export-objects`` writes, by unquoted file name."""
    command = ["tshark", "-n", "-r", str(path), "-q"]
    command += ["--export-objects", f"{protocol},{folder}"]
    subprocess.run(command, capture_output=True, check=False)
    return {unquote(p.name): p.read_bytes() for p in folder.iterdir()}


def followed(path: Path, stream: int) -> bytes:
    """The bytes of one TCP stream, as ``-z follow,tcp,raw,N`` prints them."""
    command = ["tshark", "-n", "-r", str(path), "-q", "-z", f"follow,tcp,raw,{stream}"]
    out = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    body = [
        line.strip()
        for line in out.splitlines()
        if line.strip() and not line.startswith(("=", "Follow", "Filter", "Node"))
    ]
    return bytes.fromhex("".join(body))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
