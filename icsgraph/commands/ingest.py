"""`icsgraph ingest`: stream captures into the graph."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from icsgraph.cli_support import exits_cleanly, fail
from icsgraph.errors import CaptureError

if TYPE_CHECKING:
    from neo4j import Driver

    from icsgraph.ingest.records import CaptureSummary

log = logging.getLogger(__name__)

# Payload bytes kept per session direction: files up to this size get their
# SHA-256 from HTTP and SMB; memory is this times the sessions open at once.
STREAM_CAP = 16 * 1024 * 1024


def _describe(summary: CaptureSummary, sessions: int) -> str:
    line = (
        f"{summary.file_name}: {summary.packets} packets, {summary.bytes} bytes, "
        f"{sessions} sessions"
    )
    skipped = sum(p for p, _ in summary.skipped.values())
    if skipped:
        reasons = ", ".join(
            f"{reason}: {p} packets/{b} bytes"
            for reason, (p, b) in sorted(summary.skipped.items())
        )
        line += f"; skipped {skipped} ({reasons})"
    if summary.truncated:
        line += "; file cut short, the readable part was ingested"
    return line


def ingest_one(
    driver: Driver, database: str, case: str, path: Path, options: IngestOptions
) -> str:
    """Ingest one capture and describe it in a line."""
    from icsgraph.graph.writer import GraphSink
    from icsgraph.ingest.extraction import ExtractionStage
    from icsgraph.ingest.pipeline import ingest_capture

    sink = GraphSink(driver, database, case, path=str(path.resolve()))
    stage = ExtractionStage(cap=options.stream_cap) if options.extract else None
    summary = ingest_capture(path, sink, strict=options.strict, extraction=stage)
    line = _describe(summary, sink.sessions_written)
    if stage is not None:
        line += f", {sink.artifacts_written} artifacts"
        failed = sum(stage.problems.values())
        if failed:
            line += f" ({failed} payloads an extractor could not parse)"
    return line


@dataclass(frozen=True, slots=True)
class IngestOptions:
    strict: bool = False
    extract: bool = True
    stream_cap: int = STREAM_CAP


@exits_cleanly
def ingest(
    captures: Annotated[
        list[Path], typer.Argument(help="pcap or pcapng files.", show_default=False)
    ],
    case: Annotated[str, typer.Option(help="The investigation to load into.")],
    strict: Annotated[
        bool, typer.Option(help="Stop at the first packet that fails to decode.")
    ] = False,
    extract: Annotated[
        bool,
        typer.Option(help="Reassemble sessions and extract artifacts from them."),
    ] = True,
    stream_cap: Annotated[
        int,
        typer.Option(
            min=0, help="Payload bytes kept per session direction for extraction."
        ),
    ] = STREAM_CAP,
) -> None:
    """Stream captures into Neo4j under a case; re-running one changes nothing."""
    from icsgraph.graph.connect import connected
    from icsgraph.graph.writer import create_schema
    from icsgraph.settings import load_neo4j_settings

    settings = load_neo4j_settings()
    options = IngestOptions(strict=strict, extract=extract, stream_cap=stream_cap)
    failed: list[str] = []
    with connected(settings) as driver:
        create_schema(driver, settings.database)
        for path in captures:
            try:
                typer.echo(ingest_one(driver, settings.database, case, path, options))
            except CaptureError as exc:
                if len(captures) == 1:
                    raise
                typer.secho(f"icsgraph: {exc}", err=True, fg=typer.colors.RED)
                failed.append(str(path))
    if failed:
        code = CaptureError.exit_code
        raise fail(f"{len(failed)} of {len(captures)} captures unreadable", code)
