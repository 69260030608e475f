"""Artifacts checked against tshark's dissectors on the shared captures.

Reads ../shared/pcaps through the test feeder (tests/unit/pcap_feeder.py),
reassembly and the extractor table, and compares with the fields tshark
4.0 prints for the same capture.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from icsgraph.ingest.extract import extract_artifacts, tie_data_sessions
from icsgraph.ingest.records import ArtifactRecord

ROOT = Path(__file__).resolve().parents[2]
PCAPS = ROOT.parent / "shared" / "pcaps"
sys.path.insert(0, str(ROOT / "tests" / "unit"))
from pcap_feeder import conversations  # noqa: E402

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark"),
]


def tshark(path: Path, display: str, *fields: str) -> list[list[str]]:
    command = ["tshark", "-n", "-r", str(path), "-Y", display, "-T", "fields"]
    for name in fields:
        command += ["-e", name]
    out = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    return [line.split("\t") for line in out.splitlines()]


def artifacts(path: Path) -> list[ArtifactRecord]:
    convs = conversations(path)
    found = [a for conv in convs for a in extract_artifacts(conv)]
    return found + tie_data_sessions(found, convs)


@pytest.mark.parametrize("name", ["ftp-retr-mp3.pcap", "ftp-anon-retr-internet.pcap"])
def test_ftp_logins_and_file_names(name: str) -> None:
    rows = tshark(PCAPS / name, "ftp.request", "ftp.request.command", "ftp.request.arg")
    found = artifacts(PCAPS / name)

    users = {arg for cmd, arg in rows if cmd == "USER"}
    files = {arg for cmd, arg in rows if cmd in ("RETR", "STOR")}
    assert users == {a.get("username") for a in found if a.kind == "credential"}
    assert files == {a.get("name") for a in found if a.kind == "file_transfer"}


@pytest.mark.parametrize(
    ("name", "stream", "complete"),
    [("ftp-anon-retr-internet.pcap", 1, True), ("ftp-retr-mp3.pcap", 2, False)],
)
def test_ftp_data_hash_matches_tshark_follow(
    name: str, stream: int, complete: bool
) -> None:
    path = PCAPS / name
    raw = subprocess.run(
        ["tshark", "-r", str(path), "-q", "-z", f"follow,tcp,raw,{stream}"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    hexes = "".join(line.strip() for line in raw.splitlines()[6:] if "=" not in line)
    data = bytes.fromhex(hexes)

    tied = [a for a in artifacts(path) if a.get("data_session") == stream]

    import hashlib

    # Music.mp3's data connection is cut off (no FIN, 5,808 of 4,980,924
    # bytes): its size is kept, but a partial file gets no hash.
    digest = hashlib.sha256(data).hexdigest() if complete else None
    assert [(a.get("size"), a.get("sha256")) for a in tied] == [(len(data), digest)]


@pytest.mark.parametrize(
    "name",
    [
        "http-pdf-download.pcap",
        "http-vlan0.pcap",
        "scan-nmap-version.pcap",
        "modbus-nonmodbus-p502.pcap",
    ],
)
def test_http_methods_and_uris(name: str) -> None:
    rows = tshark(
        PCAPS / name,
        "http.request",
        "frame.number",
        "http.request.method",
        "http.request.uri",
    )

    found = {
        (a.frames[0], a.get("method"), a.get("uri"))
        for a in artifacts(PCAPS / name)
        if a.kind == "http_request"
    }

    expected = {(int(n), m, u) for n, m, u in rows}
    # nmap's "GET / HTTP/1.0" probe to port 139 (frame 2023) is HTTP by its
    # bytes; tshark decodes it as NetBIOS because of the port.
    extra = {(2023, "GET", "/")} if name == "scan-nmap-version.pcap" else set()
    assert found == expected | extra


def test_tftp_file_name() -> None:
    rows = tshark(
        PCAPS / "tftp-transfer.pcap",
        "tftp.opcode <= 2",
        "tftp.source_file",
        "tftp.destination_file",
    )

    found = {
        a.get("name")
        for a in artifacts(PCAPS / "tftp-transfer.pcap")
        if a.kind == "file_transfer"
    }

    assert found == {source or dest for source, dest in rows}


@pytest.mark.parametrize("name", ["smb2-mimikatz-copy.pcap"])
def test_smb2_file_names(name: str) -> None:
    rows = tshark(
        PCAPS / name, "smb2.cmd == 5 && smb2.flags.response == 0", "smb2.filename"
    )

    found = {
        a.get("name") for a in artifacts(PCAPS / name) if a.kind == "file_transfer"
    }

    assert found == {row[0] for row in rows if row[0]}


def test_telnet_login_and_banner_match_telnet_data() -> None:
    path = PCAPS / "telnet-login-openbsd.pcap"
    data = {
        int(n): d for n, d in tshark(path, "telnet.data", "frame.number", "telnet.data")
    }

    found = artifacts(path)
    (banner,) = [a for a in found if a.kind == "banner"]
    (login,) = [a for a in found if a.kind == "credential"]

    assert str(banner.get("text")) in data[27].replace("\\r\\n", "\r\n")
    assert data[31] == f"{login.get('username')}\\r\\n"
    assert data[38] == f"{login.get('password')}\\r\\n"


def test_enip_identity_fields() -> None:
    path = PCAPS / "scan-enip-listidentity.pcap"
    (row,) = tshark(
        path,
        "enip.lir.name",
        "enip.lir.vendor",
        "enip.lir.prodcode",
        "enip.lir.serial",
        "enip.lir.name",
        "frame.number",
    )

    (identity,) = [
        a for a in artifacts(path) if a.get("source") == "enip_list_identity"
    ]

    assert (identity.get("vendor_id"), identity.get("product_code")) == (
        int(row[0], 0),
        int(row[1]),
    )
    assert identity.get("serial") == row[2]
    assert (identity.get("product_name"), identity.frames) == (row[3], (int(row[4]),))


def test_s7_szl_fields() -> None:
    path = PCAPS / "scan-s7-szl-ident.pcap"
    names = tshark(
        path,
        "s7comm.szl.001c.0005.serialn",
        "s7comm.szl.001c.0005.serialn",
        "s7comm.szl.001c.0002.name",
    )

    found = [a for a in artifacts(path) if a.get("source") == "s7_szl_0x001c"]

    assert [(a.get("serial"), a.get("module_name")) for a in found] == [
        (serial.strip(), module.strip()) for serial, module in names
    ]


def test_modbus_device_identification_fields() -> None:
    path = ROOT / "tests" / "data" / "plc-scan-replay.pcap"
    (row,) = tshark(path, "modbus.object_str_value", "modbus.object_str_value")

    (identity,) = [
        a for a in artifacts(path) if a.get("source") == "modbus_device_identification"
    ]

    assert [identity.get(k) for k in ("vendor", "product_code", "revision")] == row[
        0
    ].split(",")


def test_dhcp_and_bacnet_match_tshark() -> None:
    dhcp = tshark(
        PCAPS / "profinet-mixed.pcap", "dhcp.option.hostname", "dhcp.option.hostname"
    )
    bacnet = tshark(
        PCAPS / "bacnet-example.pcap",
        "bacapp.unconfirmed_service == 0",
        "bacapp.instance_number",
        "bacapp.vendor_identifier",
    )

    hosts = {
        a.get("host_name")
        for a in artifacts(PCAPS / "profinet-mixed.pcap")
        if a.kind == "dhcp_host"
    }
    devices = {
        (a.get("device_instance"), a.get("vendor_id"))
        for a in artifacts(PCAPS / "bacnet-example.pcap")
        if a.kind == "device_identity"
    }

    assert hosts == {row[0] for row in dhcp}
    assert devices == {(int(i), int(v)) for i, v in bacnet}
