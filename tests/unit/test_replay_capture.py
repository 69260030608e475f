"""The scapy replay of issue #3's case, through reassembly and extraction."""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import pytest
from pcap_feeder import conversations, read_frames

from icsgraph.ingest.extract import extract_artifacts
from icsgraph.ingest.records import TCP_ACK, TCP_SYN, ArtifactRecord

DATA = Path(__file__).resolve().parents[1] / "data"
REPLAY = DATA / "plc-scan-replay.pcap"
SCANNER, MOXA = "10.10.10.66", "10.10.10.20"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_captures", DATA / "make_captures.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def artifacts() -> list[ArtifactRecord]:
    found: list[ArtifactRecord] = []
    for conv in conversations(REPLAY):
        found.extend(extract_artifacts(conv))
    return found


def find(
    artifacts: list[ArtifactRecord], kind: str, **values: object
) -> ArtifactRecord:
    hits = [
        a
        for a in artifacts
        if a.kind == kind and all(a.get(k) == v for k, v in values.items())
    ]
    assert len(hits) == 1, (kind, values, hits)
    return hits[0]


def test_script_is_deterministic(tmp_path: Path) -> None:
    layout = load_script().main(tmp_path)

    for name in ("plc-scan-replay.pcap", "xss-banner.pcap", "gap-cut.pcap"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
    assert layout["telnet_banner"] == 24
    assert layout["http_request"] == 48


def test_telnet_banner_and_switch_identity(artifacts: list[ArtifactRecord]) -> None:
    banner = find(artifacts, "banner", protocol="telnet")
    model = find(artifacts, "device_identity", pattern="moxa-eds-title")
    firmware = find(artifacts, "device_identity", pattern="firmware-line")
    serial = find(artifacts, "device_identity", pattern="serial-line")
    mac = find(artifacts, "device_identity", pattern="mac-line")

    assert str(banner.get("text")).startswith("Moxa EtherDevice Switch EDS-516A\r\n")
    assert banner.frames == (24, 25)
    assert (model.get("vendor"), model.get("model"), model.frames) == (
        "Moxa",
        "EDS-516A",
        (24,),
    )
    assert firmware.get("firmware") == "2.6"
    assert serial.get("serial") == "09404"
    assert mac.get("mac") == "00:90:e8:27:8c:37"
    assert {model.about, firmware.about, serial.about} == {"server"}
    assert model.confidence > firmware.confidence


def test_telnet_logins_name_both_accounts(artifacts: list[ArtifactRecord]) -> None:
    failed = find(artifacts, "credential", protocol="telnet", username="user")
    accepted = find(artifacts, "credential", protocol="telnet", username="admin")

    assert (failed.get("password"), failed.get("outcome")) == ("Hadmin", "failed")
    assert failed.frames == (25, 26, 28, 30, 32, 34, 35, 36)
    assert (accepted.get("password"), accepted.get("outcome")) == ("Hadmin", "accepted")
    assert accepted.frames == (37, 38, 39, 40)


def test_ssh_http_and_jdwp(artifacts: list[ArtifactRecord]) -> None:
    server = find(artifacts, "ssh_version", role="server")
    client = find(artifacts, "ssh_version", role="client")
    options = find(artifacts, "http_request", method="OPTIONS")
    jdwp = [a for a in artifacts if a.kind == "jdwp_handshake"]

    assert (server.get("software"), server.frames) == ("dropbear_0.52", (10,))
    assert (client.get("software"), client.frames, client.about) == (
        "PuTTY_Release_0.60",
        (11,),
        "client",
    )
    assert options.get("status") == 200
    assert "POST" in str(options.get("allow"))
    assert options.frames == (48, 49)
    assert find(artifacts, "banner", field="server").get("text") == "GoAhead-Webs"
    assert sorted((a.get("port"), a.frames, a.get("answered")) for a in jdwp) == [
        (4000, (90, 91), 1),
        (4001, (98, 99), 1),
    ]


def test_controller_identities(artifacts: list[ArtifactRecord]) -> None:
    modbus = find(artifacts, "device_identity", source="modbus_device_identification")
    enip = find(artifacts, "device_identity", source="enip_list_identity")

    assert (modbus.get("vendor"), modbus.get("product_code"), modbus.frames) == (
        "Schneider Electric",
        "BMX P34 2020",
        (115,),
    )
    assert (enip.get("product_name"), enip.get("serial"), enip.frames) == (
        "1756-L61/B LOGIX5561",
        "0x60a1b2c3",
        (149,),
    )


def test_scan_shape_meets_issue_4_thresholds() -> None:
    probes: dict[str, dict[int, float]] = defaultdict(dict)
    for frame in read_frames(REPLAY):
        if frame.src_ip == SCANNER and frame.tcp_flags & (TCP_SYN | TCP_ACK) == TCP_SYN:
            assert frame.dst_ip is not None
            assert frame.dst_port is not None
            probes[frame.dst_ip].setdefault(frame.dst_port, frame.time)
    controllers = {ip: ports for ip, ports in probes.items() if ip != MOXA}
    controller_times = [t for ports in controllers.values() for t in ports.values()]

    assert len(probes[MOXA]) >= 25
    assert max(probes[MOXA].values()) - min(probes[MOXA].values()) < 120
    assert {22, 23, 80, 4000, 4001, 21, 135, 443, 514, 7001, 20000} <= set(probes[MOXA])
    assert len(controllers) >= 10
    assert max(controller_times) - min(controller_times) < 120
    assert {p for ports in controllers.values() for p in ports} == {502, 102, 44818}


def test_xss_payloads_arrive_verbatim_for_the_renderer_to_escape() -> None:
    found = [
        a for c in conversations(DATA / "xss-banner.pcap") for a in extract_artifacts(c)
    ]
    texts = {a.get("text") for a in found if a.kind == "banner"}

    assert "<script>window.pwned=1</script>" in texts
    assert '<img src=x onerror="window.pwned=1">' in texts


def test_gap_and_cut_stream_yield_what_is_there() -> None:
    first, second = conversations(DATA / "gap-cut.pcap")
    server_turns = [t for t in first.turns if t.direction == "in"]

    assert [t.data for t in server_turns][:2] == [
        b"HELLO first part\r\n",
        b"third part\r\nfourth part",  # the snap length cut the fourth
    ]
    assert server_turns[1].gap_before
    assert server_turns[1].missing == len(b"this segment is not in the capture\r\n")
    assert server_turns[2].gap_before
    assert server_turns[2].data == b"fifth part\r\n"
    assert first.gaps == 2
    assert [t.data for t in second.turns] == [
        b"STATUS\r\n",
        b"status: running, the rest never came",
    ]
    assert second.gaps == 0
    banners = [a for a in extract_artifacts(first) if a.kind == "banner"]
    assert banners[0].get("text") == "HELLO first part"
