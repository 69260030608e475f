"""Artifacts in the graph, through the real pipeline, against tshark (issue #3).

Each test ingests a capture with extraction on (`ingest_capture` with an
`ExtractionStage`, the real `GraphSink`) into a case of its own, reads the
`Artifact` nodes back with the host they are `ABOUT`, and compares them with
what tshark 4.0 dissects or exports from the same file, run inside the test.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import pytest
from conftest import DATA, PCAPS
from graphcheck import scalar

from icsgraph.graph.writer import GraphSink
from icsgraph.ingest.extraction import ExtractionStage
from icsgraph.ingest.pipeline import ingest_capture

if TYPE_CHECKING:
    from neo4j import Driver

    from icsgraph.settings import Neo4jSettings

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark"),
]

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
    [("ftp-retr-mp3.pcap", 1024), ("ftp-anon-retr-internet.pcap", 4096)],
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


def test_telnet_banner_and_login_match_telnet_data(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    path = PCAPS / "telnet-login-openbsd.pcap"
    rows = tshark(path, "telnet.data", "frame.number", "ip.src", "telnet.data")
    data = {int(n): (ip, text.replace("\\r\\n", "\r\n")) for n, ip, text in rows}
    server, client = data[29][0], data[31][0]  # the prompt, the typed name

    ingest(driver, neo4j_settings, case, path)
    (banner,) = found(driver, neo4j_settings, case, "banner")
    (login,) = found(driver, neo4j_settings, case, "credential")

    assert banner["text"] in data[27][1]
    assert (banner["first_frame"], banner["about_ip"]) == (27, server)
    assert data[31] == (client, login["username"] + "\r\n")
    assert data[38] == (client, login["password"] + "\r\n")
    assert {29, 31, 36, 38} <= set(login["frames"])
    assert (login["about_ip"], login["outcome"]) == (server, "accepted")


def test_tls_server_names_match_tshark(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    path = DATA / "tls-sni.pcap"
    rows = tshark(
        path,
        "tls.handshake.extensions_server_name",
        "frame.number",
        "ip.dst",
        "tls.handshake.extensions_server_name",
        "tcp.segment",
    )

    ingest(driver, neo4j_settings, case, path)
    names = found(driver, neo4j_settings, case, "tls_server_name")

    assert {(a["server_name"], a["about_ip"], tuple(a["frames"])) for a in names} == {
        (
            name,
            ip,
            tuple(int(f) for f in segments.split(",")) if segments else (int(n),),
        )
        for n, ip, name, segments in rows
    }


def test_ssh_versions_match_tshark(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    path = PCAPS / "ssh-session-internet.pcap"
    rows = tshark(path, "ssh.protocol", "frame.number", "ip.src", "ssh.protocol")

    ingest(driver, neo4j_settings, case, path)
    versions = found(driver, neo4j_settings, case, "ssh_version")

    assert {(a["first_frame"], a["about_ip"], a["text"]) for a in versions} == {
        (int(n), ip, text) for n, ip, text in rows
    }


def test_rdp_cookies_match_tshark(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    path = PCAPS / "rdp-session.pcap"
    rows = tshark(path, "rdp.rt_cookie", "frame.number", "ip.src", "rdp.rt_cookie")

    ingest(driver, neo4j_settings, case, path)
    cookies = found(driver, neo4j_settings, case, "rdp_cookie")

    assert [(a["first_frame"], a["about_ip"], a["cookie"]) for a in cookies] == [
        (int(n), ip, cookie.removeprefix("Cookie: mstshash=")) for n, ip, cookie in rows
    ]


def test_vnc_versions_match_tshark(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    path = PCAPS / "vnc-session.pcap"
    rows = tshark(
        path, "vnc.server_proto_ver", "frame.number", "ip.src", "vnc.server_proto_ver"
    )

    ingest(driver, neo4j_settings, case, path)
    banners = found(driver, neo4j_settings, case, "banner")

    assert [(a["first_frame"], a["about_ip"], a["text"]) for a in banners] == [
        (int(n), ip, f"RFB {version}") for n, ip, version in rows
    ]


def test_enip_identity_and_host_roll_up(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    path = PCAPS / "scan-enip-listidentity.pcap"
    ((frame, ip, vendor, kind, code, revision, serial, name),) = tshark(
        path,
        "enip.lir.name",
        "frame.number",
        "ip.src",
        "enip.lir.vendor",
        "enip.lir.devtype",
        "enip.lir.prodcode",
        "enip.lir.revision",
        "enip.lir.serial",
        "enip.lir.name",
    )

    ingest(driver, neo4j_settings, case, path)
    (identity,) = [
        a
        for a in found(driver, neo4j_settings, case, "device_identity")
        if a["source"] == "enip_list_identity"
    ]
    device = host(driver, neo4j_settings, case, ip)

    fields = ("vendor_id", "device_type", "product_code", "revision", "serial")
    assert [identity[f] for f in fields] == [
        int(vendor, 16),
        int(kind),
        int(code),
        f"{int(revision) >> 8}.{int(revision) & 0xFF:02d}",
        serial,
    ]
    assert (identity["product_name"], identity["frames"]) == (name, [int(frame)])
    assert identity["about_ip"] == ip
    assert (
        device["product_name"],
        device["product_name_source"],
        device["product_name_confidence"],
    ) == (name, "enip_list_identity", 0.9)
    assert (device["serial"], device["serial_source"]) == (serial, "enip_list_identity")


def test_modbus_device_identification_and_host(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    path = DATA / "plc-scan-replay.pcap"
    ((frame, ip, objects),) = tshark(
        path,
        "modbus.object_str_value",
        "frame.number",
        "ip.src",
        "modbus.object_str_value",
    )

    ingest(driver, neo4j_settings, case, path)
    (identity,) = [
        a
        for a in found(driver, neo4j_settings, case, "device_identity")
        if a["source"] == "modbus_device_identification"
    ]
    device = host(driver, neo4j_settings, case, ip)

    fields = ("vendor", "product_code", "revision")
    assert [identity[f] for f in fields] == objects.split(",")
    assert (identity["frames"], identity["about_ip"]) == ([int(frame)], ip)
    assert [(device[f], device[f"{f}_source"]) for f in fields] == [
        (v, "modbus_device_identification") for v in objects.split(",")
    ]


def test_s7_szl_identity_matches_tshark(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    path = PCAPS / "scan-s7-szl-ident.pcap"
    modules = tshark(
        path,
        "s7comm.szl.xy11.0001.index",
        "frame.number",
        "ip.src",
        "s7comm.szl.xy11.0001.anz",
        "s7comm.szl.xy11.0001.ausbg",
        "s7comm.szl.xy11.0001.ausbe",
    )
    components = tshark(
        path,
        "s7comm.szl.001c.0005.serialn",
        "frame.number",
        "ip.src",
        "s7comm.szl.001c.0005.serialn",
        "s7comm.szl.001c.0002.name",
        "s7comm.szl.001c.0001.name",
    )

    ingest(driver, neo4j_settings, case, path)
    found_ids = found(driver, neo4j_settings, case, "device_identity")

    expected_modules = set()
    for n, ip, names, high, low in modules:
        entry7 = (int(high.split(",")[2]), int(low.split(",")[2]))
        firmware = f"V{entry7[0] & 0xFF}.{entry7[1] >> 8}.{entry7[1] & 0xFF}"
        order = names.split(",")[0].strip()
        expected_modules.add((int(n), ip, order, firmware))
    assert {
        (a["first_frame"], a["about_ip"], a["order_number"], a["firmware"])
        for a in found_ids
        if a["source"] == "s7_szl_0x0011"
    } == expected_modules
    assert {
        (a["first_frame"], a["about_ip"], a["serial"], a["module_name"], a["plc_name"])
        for a in found_ids
        if a["source"] == "s7_szl_0x001c"
    } == {
        (int(n), ip, s.strip(), m.strip(), p.strip()) for n, ip, s, m, p in components
    }


def test_bacnet_i_am_matches_tshark(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    path = PCAPS / "bacnet-example.pcap"
    rows = tshark(
        path,
        "bacapp.unconfirmed_service == 0",
        "frame.number",
        "ip.src",
        "bacapp.instance_number",
        "bacapp.vendor_identifier",
    )
    frames: dict[tuple[str, int, int], set[int]] = {}
    for n, ip, instance, vendor in rows:
        frames.setdefault((ip, int(instance), int(vendor)), set()).add(int(n))

    ingest(driver, neo4j_settings, case, path)
    devices = found(driver, neo4j_settings, case, "device_identity")

    seen = {(a["about_ip"], a["device_instance"], a["vendor_id"]) for a in devices}
    assert seen == set(frames)
    for a in devices:
        key = (a["about_ip"], a["device_instance"], a["vendor_id"])
        assert a["first_frame"] in frames[key]


def load_layout(tmp_path: Path) -> dict[str, int]:
    """Rebuild the replay capture; its layout holds for the committed file."""
    spec = importlib.util.spec_from_file_location(
        "make_captures", DATA / "make_captures.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    layout: dict[str, int] = module.main(tmp_path)
    committed = (DATA / "plc-scan-replay.pcap").read_bytes()
    assert (tmp_path / "plc-scan-replay.pcap").read_bytes() == committed
    return layout


MOXA, SCANNER = "10.10.10.20", "10.10.10.66"


def test_plc_scan_replay_yields_the_case(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str, tmp_path: Path
) -> None:
    at = load_layout(tmp_path)

    ingest(driver, neo4j_settings, case, DATA / "plc-scan-replay.pcap")
    (banner,) = [
        a
        for a in found(driver, neo4j_settings, case, "banner")
        if a["protocol"] == "telnet"
    ]
    identity = [
        a
        for a in found(driver, neo4j_settings, case, "device_identity")
        if a["about_ip"] == MOXA
    ]

    # The banner is the server's text before the first typed key; its frames
    # run to the prompt's, though the prompt is cut from the text.
    assert banner["frames"] == [at["telnet_banner"], at["telnet_prompt1"]]
    assert banner["about_ip"] == MOXA
    assert "Moxa EtherDevice Switch EDS-516A" in banner["text"]
    claims = {
        (k, a[k])
        for a in identity
        for k in ("model", "firmware", "serial", "mac")
        if k in a
    }
    assert claims == {
        ("model", "EDS-516A"),
        ("firmware", "2.6"),
        ("serial", "09404"),
        ("mac", "00:90:e8:27:8c:37"),
    }
    assert {tuple(a["frames"]) for a in identity} == {(at["telnet_banner"],)}


def test_plc_scan_replay_telnet_logins_with_their_frames(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str, tmp_path: Path
) -> None:
    at = load_layout(tmp_path)
    typed = at["telnet_user_first"]  # u, s, e, r and CR, each key echoed
    user = [at["telnet_prompt1"], *range(typed, typed + 9, 2)]
    user += [at["telnet_password_prompt1"], at["telnet_password1"]]
    admin = [at["telnet_failed"], at["telnet_user2"], at["telnet_user2"] + 1]
    admin += [at["telnet_password2"]]

    ingest(driver, neo4j_settings, case, DATA / "plc-scan-replay.pcap")
    logins = found(driver, neo4j_settings, case, "credential")

    assert [
        (a["username"], a["password"], a["outcome"], a["about_ip"], a["frames"])
        for a in logins
    ] == [
        ("user", "Hadmin", "failed", MOXA, user),
        ("admin", "Hadmin", "accepted", MOXA, admin),
    ]


def test_plc_scan_replay_ssh_http_and_jdwp(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str, tmp_path: Path
) -> None:
    at = load_layout(tmp_path)

    ingest(driver, neo4j_settings, case, DATA / "plc-scan-replay.pcap")
    ssh = found(driver, neo4j_settings, case, "ssh_version")
    (http,) = found(driver, neo4j_settings, case, "http_request")
    jdwp = found(driver, neo4j_settings, case, "jdwp_handshake")
    state = scalar(
        driver,
        neo4j_settings.database,
        "MATCH (s:Session {case: $case, dst_port: 22}) RETURN s.state",
        case=case,
    )

    assert [(a["frames"], a["about_ip"], a["software"]) for a in ssh] == [
        ([at["ssh_server"]], MOXA, "dropbear_0.52"),
        ([at["ssh_client"]], SCANNER, "PuTTY_Release_0.60"),
    ]
    assert state == "closed"  # the console was reached: key exchange began
    assert (http["method"], http["uri"], http["status"], http["about_ip"]) == (
        "OPTIONS",
        "/",
        200,
        MOXA,
    )
    assert "POST" in http["allow"].split(", ")
    assert http["frames"] == [at["http_request"], at["http_response"]]
    assert [(a["port"], a["answered"], a["about_ip"], a["frames"]) for a in jdwp] == [
        (port, 1, MOXA, [at[f"jdwp{port}_request"], at[f"jdwp{port}_reply"]])
        for port in (4000, 4001)
    ]


def test_plc_scan_replay_host_identity_with_sources(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    ingest(driver, neo4j_settings, case, DATA / "plc-scan-replay.pcap")
    device = host(driver, neo4j_settings, case, MOXA)

    assert {
        f: (device[f], device[f"{f}_source"], device[f"{f}_confidence"])
        for f in ("vendor", "model", "firmware", "serial")
    } == {
        "vendor": ("Moxa", "banner:23", 0.9),
        "model": ("EDS-516A", "banner:23", 0.9),
        "firmware": ("2.6", "banner:23", 0.7),
        "serial": ("09404", "banner:23", 0.7),
    }


def test_plc_scan_replay_matches_tshark_frames(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    path = DATA / "plc-scan-replay.pcap"
    telnet = tshark(path, 'telnet.data contains "EDS-516A"', "frame.number")
    options = tshark(path, 'http.request.method == "OPTIONS"', "frame.number")
    ssh = tshark(path, "ssh.protocol", "frame.number", "ssh.protocol")

    ingest(driver, neo4j_settings, case, path)
    (banner,) = [
        a
        for a in found(driver, neo4j_settings, case, "banner")
        if a["protocol"] == "telnet"
    ]
    (http,) = found(driver, neo4j_settings, case, "http_request")
    versions = found(driver, neo4j_settings, case, "ssh_version")

    assert banner["first_frame"] == int(telnet[0][0])
    assert http["first_frame"] == int(options[0][0])
    assert [(a["first_frame"], a["text"]) for a in versions] == [
        (int(n), text) for n, text in ssh
    ]


GAP_CUT = DATA / "gap-cut.pcap"
SESSIONS = """
MATCH (s:Session {case: $case})
RETURN s.index AS index, s.state AS state, s.gaps AS gaps,
       s.payload_truncated AS truncated
ORDER BY index
"""


def test_gap_and_cut_short_stream_yield_what_is_there(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    ingest(driver, neo4j_settings, case, GAP_CUT)
    banners = found(driver, neo4j_settings, case, "banner")
    complete = scalar(
        driver,
        neo4j_settings.database,
        "MATCH (:Case {id: $case})-[r:HAS_CAPTURE]->() RETURN r.complete",
        case=case,
    )

    assert complete is True
    assert [(a["frames"], a["text"]) for a in banners] == [
        ([4], "HELLO first part"),
        ([16], "status: running, the rest never came"),
    ]


def test_gaps_are_marked_on_the_session(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    ingest(driver, neo4j_settings, case, GAP_CUT)
    with driver.session(database=neo4j_settings.database) as session:
        rows = [tuple(r.values()) for r in session.run(SESSIONS, case=case)]

    # Stream 0 misses a segment the peer acknowledged (36 bytes) and the end
    # of a segment cut by the snap length (32 bytes); stream 1 just stops.
    assert rows == [(0, "closed", 2, False), (1, "established", 0, False)]


XSS = {
    "<script>window.pwned=1</script>",
    '<img src=x onerror="window.pwned=1">',
}


def test_markup_in_payload_is_stored_verbatim(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    ingest(driver, neo4j_settings, case, DATA / "xss-banner.pcap")
    banners = found(driver, neo4j_settings, case, "banner")

    assert {a["text"] for a in banners} == XSS
