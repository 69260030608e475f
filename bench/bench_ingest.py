"""Ingest speed and memory, as ratios against tshark and against itself.

    .venv/bin/python bench/bench_ingest.py [--capture F] [--copies 1,4,16] [--neo4j]

For each size (the capture, and copies of it shifted in time with editcap and
joined with mergecap, so sessions stay distinct and real), every measurement
runs in a fresh child process that reports its wall time and peak RSS:

- ``tshark``: ``tshark -n -q -z conv,tcp -z conv,udp`` on the file, the reference;
- ``headers``: the ingest pipeline, header stages only, into a sink that drops rows;
- ``extract``: the same with reassembly and artifact extraction;
- ``neo4j`` (with --neo4j): the full ingest into the configured Neo4j.

Goals, as ratios, never as timed assertions: headers/tshark ≤ 3 (a Python
pipeline against a C dissector reading the same file); extract/headers ≤ 2;
peak RSS of the largest size over the smallest ≤ 1.5 (memory stays flat).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CAPTURE = REPO.parent / "shared" / "pcaps" / "plant1-mixed-ics.pcap"
GOALS = {"headers/tshark": 3.0, "extract/headers": 2.0, "rss largest/smallest": 1.5}


class NullSink:
    """Takes the pipeline's rows and keeps only counts."""

    def __init__(self) -> None:
        self.rows = 0

    def start_capture(self, sha256: str, file_name: str) -> None:
        self.rows = 0

    def _count(self, rows: Sequence[object]) -> None:
        self.rows += len(rows)

    write_sessions = write_hosts = write_macs = write_artifacts = _count

    def finish_capture(self, summary: object) -> None:
        return None


def child(mode: str, path: Path, case: str) -> dict[str, float]:
    """Run one measurement in this process; report seconds and peak RSS."""
    start = time.perf_counter()
    if mode == "tshark":
        cmd = [
            "tshark",
            "-n",
            "-r",
            str(path),
            "-q",
            "-z",
            "conv,tcp",
            "-z",
            "conv,udp",
        ]
        subprocess.run(cmd, capture_output=True, check=False)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    else:
        run_pipeline(mode, path, case)
        usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": time.perf_counter() - start, "rss_mib": usage.ru_maxrss / 1024}


def run_pipeline(mode: str, path: Path, case: str) -> None:
    from icsgraph.ingest.extraction import ExtractionStage
    from icsgraph.ingest.pipeline import ingest_capture

    stage = ExtractionStage() if mode in ("extract", "neo4j") else None
    if mode != "neo4j":
        ingest_capture(path, NullSink(), extraction=stage)
        return
    from icsgraph.graph.cases import delete_case
    from icsgraph.graph.connect import connected
    from icsgraph.graph.writer import GraphSink, create_schema
    from icsgraph.settings import load_neo4j_settings

    settings = load_neo4j_settings()
    with connected(settings) as driver:
        create_schema(driver, settings.database)
        delete_case(driver, settings.database, case)
        ingest_capture(
            path, GraphSink(driver, settings.database, case), extraction=stage
        )
        delete_case(driver, settings.database, case)


def measure(mode: str, path: Path) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", mode, str(path)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return dict(json.loads(out.splitlines()[-1]))


def grow(capture: Path, copies: int, folder: Path) -> Path:
    """``copies`` of the capture, each shifted by a day, in one file."""
    if copies == 1:
        return capture
    parts = []
    for i in range(copies):
        part = folder / f"part{i}.pcap"
        shift = str(i * 86400)
        subprocess.run(["editcap", "-t", shift, str(capture), str(part)], check=True)
        parts.append(str(part))
    joined = folder / f"x{copies}.pcap"
    subprocess.run(["mergecap", "-a", "-w", str(joined), *parts], check=True)
    return joined


def report(rows: list[dict[str, object]]) -> dict[str, float]:
    print(
        f"{'size':>5} {'mode':>8} {'seconds':>8} {'peak RSS MiB':>13} {'packets/s':>10}"
    )
    for row in rows:
        print(
            f"{row['copies']:>5} {row['mode']:>8} {row['seconds']:>8.2f} "
            f"{row['rss_mib']:>13.1f} {row['rate']:>10.0f}"
        )
    by = {(r["copies"], r["mode"]): r for r in rows}
    sizes = sorted({int(str(r["copies"])) for r in rows})
    big, small = sizes[-1], sizes[0]

    def secs(mode: str) -> float:
        return float(str(by[(big, mode)]["seconds"]))

    ratios = {
        "headers/tshark": secs("headers") / secs("tshark"),
        "extract/headers": secs("extract") / secs("headers"),
        "rss largest/smallest": float(str(by[(big, "extract")]["rss_mib"]))
        / float(str(by[(small, "extract")]["rss_mib"])),
    }
    if (big, "neo4j") in by:
        ratios["neo4j/headers"] = secs("neo4j") / secs("headers")
    print()
    for name, value in ratios.items():
        goal = GOALS.get(name)
        verdict = ""
        if goal is not None:
            met = "met" if value <= goal else "NOT met"
            verdict = f"  (goal <= {goal:.1f}: {met})"
        print(f"{name:>22}: {value:6.2f}{verdict}")
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--capture", type=Path, default=DEFAULT_CAPTURE)
    parser.add_argument("--copies", default="1,4,16")
    parser.add_argument("--neo4j", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"))
    args = parser.parse_args()
    if args.child:
        case = f"bench-{os.getpid()}"
        print(json.dumps(child(args.child[0], Path(args.child[1]), case)))
        return
    if shutil.which("tshark") is None:
        sys.exit("bench_ingest: tshark is needed as the reference")
    modes = ["tshark", "headers", "extract"] + (["neo4j"] if args.neo4j else [])
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for copies in [int(c) for c in args.copies.split(",")]:
            path = grow(args.capture, copies, Path(tmp))
            packets = count_packets(path)
            for mode in modes:
                figures = measure(mode, path)
                rate = packets / figures["seconds"]
                rows.append({"copies": copies, "mode": mode, **figures, "rate": rate})
    ratios = report(rows)
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "ratios": ratios}, indent=2))


def count_packets(path: Path) -> int:
    out = subprocess.run(
        ["capinfos", "-c", "-M", "-T", str(path)], capture_output=True, text=True
    ).stdout
    return int(out.splitlines()[-1].split("\t")[-1])


if __name__ == "__main__":
    main()
