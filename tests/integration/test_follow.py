"""`icsgraph follow` against tshark's Follow Stream on the same capture."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ICSGRAPH = str(Path(sys.executable).with_name("icsgraph"))


def icsgraph(*args: str) -> str:
    done = subprocess.run(
        [ICSGRAPH, *args], capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def tshark_follow(capture: Path, mode: str, stream: int) -> str:
    return subprocess.run(
        ["tshark", "-n", "-r", str(capture), "-q", "-z", f"follow,tcp,{mode},{stream}"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout


def retransmissions(capture: Path) -> int:
    out = subprocess.run(
        ["tshark", "-n", "-r", str(capture), "-Y", "tcp.analysis.retransmission"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return len(out.splitlines())


def session_key(case: str, index: int) -> str:
    query = "MATCH (s:Session {case: $case, index: $i, transport: 'tcp'}) RETURN s.key"
    out = icsgraph("query", query, "--case", case, "-p", f"i={index}", "-f", "csv")
    return out.splitlines()[1]


@pytest.mark.parametrize(
    ("capture", "stream"),
    [("telnet-login-openbsd.pcap", 0), ("melsec-cut-short.pcap", 0)],
)
@pytest.mark.parametrize("mode", ["ascii", "hex"])
def test_follow_matches_tshark_byte_for_byte(
    pcaps: Path, case: str, capture: str, stream: int, mode: str
) -> None:
    path = pcaps / capture
    icsgraph("ingest", str(path), "--case", case)
    key = session_key(case, stream)

    ours = icsgraph("follow", "--case", case, key, "--format", mode, "--show-secrets")

    assert retransmissions(path) > 0
    assert ours == tshark_follow(path, mode, stream)


def test_follow_masks_the_password_unless_asked(pcaps: Path, case: str) -> None:
    path = pcaps / "telnet-login-openbsd.pcap"
    icsgraph("ingest", str(path), "--case", case)
    key = session_key(case, 0)

    masked = icsgraph("follow", "--case", case, key)
    clear = tshark_follow(path, "ascii", 0)

    changed = [
        (a, b)
        for a, b in zip(masked.splitlines(), clear.splitlines(), strict=True)
        if a != b
    ]
    assert changed == [("****", "user")]  # the password 'user', typed by 'fake'


def test_follow_of_an_unknown_session_is_one_line(case: str) -> None:
    done = subprocess.run(
        [ICSGRAPH, "follow", "--case", case, "no|such|tcp|1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert done.stderr.strip().startswith("icsgraph: no session")
    assert "Traceback" not in done.stderr
