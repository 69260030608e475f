"""Every command of the README, run as written, on the demo case."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"

# What some commands must print, beyond succeeding.
EXPECTED = {
    "icsgraph summary": ["telnet", "10.10.10.66"],
    "h.model IS NOT NULL": ["EDS-516A", "Moxa", "09404"],
    "--format csv": ["port,state", "23,closed"],
    "packs list": ["scanning/port_scan"],
    "scanning/port_scan": ["10.10.10.66", "10.10.10.20"],
    "remote_access/credentials": ["admin", "********"],
    'protocol: "telnet"': ["|tcp|4"],
    "icsgraph follow": ["Follow: tcp,ascii", "EDS-516A", "******"],
}
# What they must not print: secrets stay masked unless --show-secrets.
UNEXPECTED = {"remote_access/credentials": "Hadmin", "icsgraph follow": "Hadmin"}


def readme_commands() -> list[str]:
    """The `$ ` lines of the README's console blocks, in order."""
    blocks = re.findall(r"```console\n(.*?)```", README.read_text(), flags=re.S)
    return [
        line[2:]
        for block in blocks
        for line in block.splitlines()
        if line.startswith("$ ")
    ]


def test_the_readme_opens_with_the_two_commands() -> None:
    text = README.read_text()
    first_block = re.search(r"```sh\n(.*?)```", text, flags=re.S)

    assert first_block is not None
    commands = [
        line.split("#")[0].strip() for line in first_block.group(1).splitlines()
    ]
    assert commands == ["make demo", "make test"]
    assert text.index("make demo") < text.index("## ")


def test_every_readme_command_runs(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    commands = readme_commands()
    (tmp_path / "tests").symlink_to(REPO / "tests")  # paths as the README gives them
    assert len(commands) >= 10

    for command in commands:
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, f"{command}\n{done.stderr}"
        for marker, wanted in EXPECTED.items():
            if marker in command:
                for text in wanted:
                    assert text in done.stdout, f"{command}: {text!r} missing"
        for marker, secret in UNEXPECTED.items():
            if marker in command:
                assert secret not in done.stdout, f"{command} shows {secret!r}"

    written = ["out/map.html", "out/map-telnet.html", "out/flow.html"]
    written += ["out/report/report.html", "out/report/report.md"]
    assert all((tmp_path / name).stat().st_size > 0 for name in written)
