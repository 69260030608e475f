"""Time the device map on a synthetic case: writing the file, then drawing it.

    .venv/bin/python bench/bench_map.py [--hosts 5000] [--sessions 20000]

Builds a plant of zones (Purdue levels 0-3, a DMZ, the Internet) with
controllers, HMIs, servers and a few scanners; sessions are grouped into map
edges the way the graph reader groups them (client, server, protocol,
outcome). Prints the time to write the HTML, its size, and the time headless
Chromium (network off) takes until the page reports it has drawn, and checks
the drawn counts equal the records.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser import ink_fraction, open_browser  # noqa: E402

from icsgraph.viz.model import Badge, MapEdge, MapNode  # noqa: E402
from icsgraph.viz.render import render_map  # noqa: E402

ZONES = ("L0", "L1", "L2", "L3", "DMZ", "Internet")
ROLE_BY_ZONE = {
    "L0": "controller",
    "L1": "controller",
    "L2": "hmi",
    "L3": "server",
    "DMZ": "server",
    "Internet": "internet",
}
PROTOCOLS = ("modbus", "s7comm", "enip", "dnp3", "http", "tls", "dns", "smb")
OUTCOMES = ("answered",) * 8 + ("rejected", "unanswered")


def synthetic_nodes(count: int, rng: random.Random) -> list[MapNode]:
    nodes = []
    for i in range(count):
        zone = ZONES[min(i * len(ZONES) // count, len(ZONES) - 1)]
        role = "scanner" if i % 997 == 0 else ROLE_BY_ZONE[zone]
        address = f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"
        badges = (Badge("alert", f"rule {i}", sessions=(f"b|x|tcp|{i}",)),)
        nodes.append(
            MapNode(
                key=f"bench|{address}",
                address=address,
                role=role,
                macs=(
                    f"02:00:00:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:{i & 255:02x}",
                ),
                vendor=rng.choice(("Siemens", "Rockwell", "Schneider", None)),
                zone=zone,
                badges=badges if rng.random() < 0.02 else (),
            )
        )
    return nodes


def synthetic_edges(
    nodes: list[MapNode], sessions: int, rng: random.Random
) -> list[MapEdge]:
    """``sessions`` sessions, grouped into edges as the reader groups them."""
    groups: Counter[tuple[str, str, str, str]] = Counter()
    keys = [n.key for n in nodes]
    hubs = keys[: max(1, len(keys) // 50)]
    for _ in range(sessions):
        src = rng.choice(hubs) if rng.random() < 0.3 else rng.choice(keys)
        dst = rng.choice(keys)
        if dst == src:
            dst = keys[(keys.index(src) + 1) % len(keys)]
        groups[(src, dst, rng.choice(PROTOCOLS), rng.choice(OUTCOMES))] += 1
    return [
        MapEdge(
            src,
            dst,
            proto,
            count,
            count * 10,
            count * rng.randint(200, 90_000),
            outcome=outcome,
            session_keys=(f"bench|x|tcp|{n}",),
        )
        for n, ((src, dst, proto, outcome), count) in enumerate(sorted(groups.items()))
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=5000)
    parser.add_argument("--sessions", type=int, default=20000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--screenshot", type=Path, default=None)
    args = parser.parse_args()

    rng = random.Random(5)
    nodes = synthetic_nodes(args.hosts, rng)
    edges = synthetic_edges(nodes, args.sessions, rng)
    out = args.out or Path(tempfile.mkdtemp(prefix="icsgraph-bench-")) / "map.html"

    start = time.perf_counter()
    render_map(nodes, edges, out, title="bench", focus=[nodes[0].key], case="bench")
    write_seconds = time.perf_counter() - start

    with open_browser() as browser:
        page = browser.open(out, timeout=600)
        png = browser.screenshot()
    ink = ink_fraction(png, (20, 60, 880, 600))
    if args.screenshot:
        args.screenshot.write_bytes(png)

    expected = {"nodes": len(nodes), "edges": len(edges)}
    drawn = {
        "nodes": page.state.get("drawnNodes"),
        "edges": page.state.get("drawnEdges"),
    }
    print(f"hosts {len(nodes)}, sessions {args.sessions}, map edges {len(edges)}")
    print(f"write   {write_seconds:8.2f} s   {out.stat().st_size / 1e6:.2f} MB  {out}")
    print(f"draw    {page.seconds:8.2f} s   (navigation to icsgraphReady, Chromium)")
    print(f"drawn   {drawn}  expected {expected}  ink {ink:.3f}")
    print(f"requests {len(page.requests)}, leaving the file: {page.foreign_requests()}")
    ok = drawn == expected and not page.foreign_requests() and ink > 0.001
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
