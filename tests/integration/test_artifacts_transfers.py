"""File transfers in the graph against tshark's exports and streams (issue #3)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from artifactcheck import exported, followed, found, ingest, sha256, tshark
from conftest import PCAPS

if TYPE_CHECKING:
    from neo4j import Driver

    from icsgraph.settings import Neo4jSettings

pytestmark = pytest.mark.integration


FTP = ["ftp-retr-mp3.pcap", "ftp-anon-retr-internet.pcap"]


@pytest.mark.parametrize("name", FTP)
def test_ftp_commands_and_file_names(
    name: str, driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    path = PCAPS / name
    rows = tshark(
        path,
        "ftp.request",
        "frame.number",
        "ip.dst",
        "ftp.request.command",
        "ftp.request.arg",
    )

    ingest(driver, neo4j_settings, case, path)
    logins = found(driver, neo4j_settings, case, "credential")
    files = found(driver, neo4j_settings, case, "file_transfer")

    users = [(int(n), ip, arg) for n, ip, cmd, arg in rows if cmd == "USER"]
    passes = [(int(n), arg) for n, _, cmd, arg in rows if cmd == "PASS"]
    assert {
        (a["first_frame"], a["about_ip"], a["username"], a["last_frame"], a["password"])
        for a in logins
    } == {u + p for u, p in zip(users, passes, strict=True)}
    assert {(a["first_frame"], a["about_ip"], a["name"]) for a in files} == {
        (int(n), ip, arg) for n, ip, cmd, arg in rows if cmd in ("RETR", "STOR")
    }


def data_stream(path: Path) -> tuple[int, set[int], bytes]:
    """tshark's ftp-data stream: its index, frames and bytes (Follow, raw)."""
    (stream,) = {int(r[0]) for r in tshark(path, "ftp-data", "tcp.stream")}
    data_frames = {int(r[0]) for r in tshark(path, "ftp-data", "frame.number")}
    return stream, data_frames, followed(path, stream)


def test_ftp_whole_file_is_complete_with_the_sha256_of_the_stream(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    path = PCAPS / "ftp-anon-retr-internet.pcap"
    stream, data_frames, data = data_stream(path)
    ((announced,),) = tshark(path, "ftp.response.code == 213", "ftp.response.arg")

    ingest(driver, neo4j_settings, case, path)
    (transfer,) = found(driver, neo4j_settings, case, "file_transfer")

    assert (transfer["name"], transfer["data_session"]) == ("/README", stream)
    assert transfer["expected_size"] == int(announced) == len(data)
    assert (transfer["size"], transfer["complete"]) == (len(data), 1)
    assert transfer["sha256"] == sha256(data)
    assert min(data_frames) in transfer["frames"]
    assert max(data_frames) == transfer["last_frame"]


def test_ftp_data_cut_off_is_partial_without_sha256(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str, tmp_path: Path
) -> None:
    path = PCAPS / "ftp-retr-mp3.pcap"
    stream, data_frames, data = data_stream(path)
    fins = tshark(path, f"tcp.stream == {stream} && tcp.flags.fin == 1", "frame.number")
    ((reply,),) = tshark(path, "ftp.response.code == 150", "ftp.response.arg")
    announced = int(re.findall(r"\((\d+) bytes\)", reply)[0])
    objects = exported(path, "ftp-data", tmp_path)

    ingest(driver, neo4j_settings, case, path)
    (transfer,) = found(driver, neo4j_settings, case, "file_transfer")

    # The data connection stops after 4 segments: no FIN, 5,808 bytes of an
    # announced 4,980,924. tshark still exports those bytes as Music.mp3.
    assert (fins, announced, len(data)) == ([], 4980924, 5808)
    assert {n: len(b) for n, b in objects.items()} == {"Music.mp3": len(data)}
    assert (transfer["data_session"], transfer["complete"]) == (stream, 0)
    assert (transfer["size"], transfer["expected_size"]) == (len(data), announced)
    assert "sha256" not in transfer
    assert max(data_frames) == transfer["last_frame"]


HTTP = ["http-pdf-download.pcap", "http-vlan0.pcap", "scan-nmap-version.pcap"]


@pytest.mark.parametrize("name", HTTP)
def test_http_methods_and_uris(
    name: str, driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    path = PCAPS / name
    rows = tshark(
        path,
        "http.request",
        "frame.number",
        "ip.dst",
        "http.request.method",
        "http.request.uri",
    )
    # nmap's "GET / HTTP/1.0" probe to port 139 (frame 2023) is HTTP by its
    # bytes; tshark decodes it as NetBIOS because of the port.
    if name == "scan-nmap-version.pcap":
        (probe,) = tshark(path, "frame.number == 2023", "ip.dst")
        rows.append(["2023", probe[0], "GET", "/"])

    ingest(driver, neo4j_settings, case, path)
    requests = found(driver, neo4j_settings, case, "http_request")

    assert {
        (a["first_frame"], a["about_ip"], a["method"], a["uri"]) for a in requests
    } == {(int(n), ip, method, uri) for n, ip, method, uri in rows}


@pytest.mark.parametrize("name", ["http-pdf-download.pcap", "http-vlan0.pcap"])
def test_http_download_sha256_matches_tshark_export(
    name: str,
    driver: Driver,
    neo4j_settings: Neo4jSettings,
    case: str,
    tmp_path: Path,
) -> None:
    path = PCAPS / name
    objects = exported(path, "http", tmp_path)
    (response,) = tshark(path, "http.response", "frame.number", "ip.src")

    ingest(driver, neo4j_settings, case, path)
    files = found(driver, neo4j_settings, case, "file_transfer")

    assert {(a["name"], a["size"], a["sha256"]) for a in files} == {
        (n, len(body), sha256(body)) for n, body in objects.items()
    }
    assert [(a["last_frame"], a["about_ip"]) for a in files] == [
        (int(response[0]), response[1])
    ]


def test_tftp_file_name_and_sha256(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str, tmp_path: Path
) -> None:
    path = PCAPS / "tftp-transfer.pcap"
    rows = tshark(
        path,
        "tftp.opcode <= 2",
        "frame.number",
        "ip.dst",
        "tftp.source_file",
        "tftp.destination_file",
    )
    objects = exported(path, "tftp", tmp_path)

    ingest(driver, neo4j_settings, case, path)
    files = found(driver, neo4j_settings, case, "file_transfer")

    assert {(a["first_frame"], a["about_ip"], a["name"]) for a in files} == {
        (int(n), ip, source or dest) for n, ip, source, dest in rows
    }
    assert {(a["name"], a["size"], a["sha256"]) for a in files} == {
        (n, len(body), sha256(body)) for n, body in objects.items()
    }


def test_smb2_file_names(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    path = PCAPS / "smb2-mimikatz-copy.pcap"
    rows = tshark(
        path,
        "smb2.cmd == 5 && smb2.flags.response == 0",
        "frame.number",
        "ip.dst",
        "smb2.filename",
    )
    first: dict[str, tuple[int, str]] = {}
    for number, ip, name in rows:
        first.setdefault(name, (int(number), ip))

    ingest(driver, neo4j_settings, case, path)
    files = found(driver, neo4j_settings, case, "file_transfer")

    assert {(a["name"], a["first_frame"], a["about_ip"]) for a in files} == {
        (name, number, ip) for name, (number, ip) in first.items()
    }


def test_smb1_file_name_and_sha256(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str, tmp_path: Path
) -> None:
    path = PCAPS / "smb1-eicar-sll.pcap"
    rows = tshark(
        path,
        "smb.cmd == 0xa2 && smb.flags.response == 0",
        "frame.number",
        "ip.dst",
        "smb.file",
    )
    objects = exported(path, "smb", tmp_path)

    ingest(driver, neo4j_settings, case, path)
    files = found(driver, neo4j_settings, case, "file_transfer")

    assert {(a["first_frame"], a["about_ip"], a["name"]) for a in files} == {
        (int(n), ip, name) for n, ip, name in rows
    }
    assert {
        (a["name"], a["direction"], a["size"], a["complete"], a["sha256"])
        for a in files
    } == {
        (name, "upload", len(body), 1, sha256(body)) for name, body in objects.items()
    }
    assert [len(body) for body in objects.values()] == [68]


def whole_smb_objects(objects: dict[str, bytes]) -> dict[str, bytes]:
    """The largest object tshark exported per file; it numbers repeats "(1)"."""
    best: dict[str, bytes] = {}
    for name, body in objects.items():
        base = re.sub(r"\(\d+\)(?=\.[^.\\]*$|$)", "", name)
        if len(body) > len(best.get(base, b"")):
            best[base] = body
    return best


@pytest.mark.parametrize("cap", [2 << 20, 64 << 10], ids=["cap-2MiB", "cap-64KiB"])
def test_smb2_download_size_and_sha256_against_tshark_export(
    cap: int,
    driver: Driver,
    neo4j_settings: Neo4jSettings,
    case: str,
    tmp_path: Path,
) -> None:
    path = PCAPS / "smb2-mimikatz-copy.pcap"
    objects = whole_smb_objects(exported(path, "smb", tmp_path))

    ingest(driver, neo4j_settings, case, path, cap=cap)
    files = found(driver, neo4j_settings, case, "file_transfer")
    (download,) = [a for a in files if a["direction"] == "download"]

    body = objects["\\" + download["name"]]
    assert download["expected_size"] == len(body) == 804352
    if cap > len(body):
        assert (download["size"], download["bytes_read"]) == (len(body), len(body))
        assert (download["complete"], download["sha256"]) == (1, sha256(body))
    else:
        # Past the cap the SMB reads are not all in the kept payload: the size
        # is what was kept and the hash is left out, not taken of part of it.
        assert download["size"] <= download["bytes_read"] < len(body)
        assert (download["complete"], download.get("sha256")) == (0, None)


@pytest.mark.parametrize(
    ("name", "cap"),
    [("ftp-retr-mp3.pcap", 4096), ("ftp-anon-retr-internet.pcap", 4096)],
)
def test_ftp_transfer_past_the_cap_keeps_size_and_sha256(
    name: str, cap: int, driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    path = PCAPS / name
    _, _, data = data_stream(path)

    ingest(driver, neo4j_settings, case, path, cap=cap)
    (transfer,) = found(driver, neo4j_settings, case, "file_transfer")

    assert len(data) > cap
    assert transfer["size"] == len(data)
    if transfer["complete"]:  # the README; Music.mp3 was cut off
        assert transfer["sha256"] == sha256(data)
    else:
        assert "sha256" not in transfer
    assert (name, transfer["complete"]) in {
        ("ftp-anon-retr-internet.pcap", 1),
        ("ftp-retr-mp3.pcap", 0),
    }
