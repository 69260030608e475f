"""Banners, credentials, protocol strings and device identity in the graph,
against tshark run on the same capture (issue #3).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from artifactcheck import found, host, ingest, tshark
from conftest import DATA, PCAPS

if TYPE_CHECKING:
    from neo4j import Driver

    from icsgraph.settings import Neo4jSettings

pytestmark = pytest.mark.integration


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


def test_profinet_dcp_identity_matches_tshark_and_names_the_host(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    path = PCAPS / "profinet-mixed.pcap"
    expected = {
        (int(frame), mac, name, vendor, device)
        for frame, mac, name, vendor, device in tshark(
            path,
            "pn_dcp.service_type == 1 && pn_dcp.service_id == 5",
            "frame.number",
            "eth.src",
            "pn_dcp.suboption_device_nameofstation",
            "pn_dcp.suboption_vendor_id",
            "pn_dcp.suboption_device_id",
        )
    }
    ingest(driver, neo4j_settings, case, path)

    query = (
        "MATCH (c:Case {id: $case})-[:HAS_CAPTURE]->(:Capture)-[:YIELDED]->"
        "(a:Artifact {kind: 'device_identity', case: $case})-[:ABOUT]->(m:Mac) "
        "RETURN a.first_frame AS frame, m.address AS mac, a.station_name AS name, "
        "a.vendor_id AS vendor, a.device_id AS device"
    )
    with driver.session(database=neo4j_settings.database) as session:
        found = {tuple(r.values()) for r in session.run(query, case=case)}
    (station,) = {name for _, _, name, _, _ in expected}
    named = host(driver, neo4j_settings, case, "192.168.1.2")

    assert found == expected
    assert named["station_name"] == station
    assert named["station_name_source"] == "pn_dcp"


def test_dhcp_host_names_reach_the_hosts_of_that_mac_not_0_0_0_0(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    path = PCAPS / "profinet-mixed.pcap"
    names = dict(
        tshark(path, "dhcp.option.hostname", "eth.src", "dhcp.option.hostname")
    )
    ingest(driver, neo4j_settings, case, path)

    laptop = host(driver, neo4j_settings, case, "169.254.216.43")
    unspecified = host(driver, neo4j_settings, case, "0.0.0.0")  # noqa: S104

    assert names[laptop_mac(driver, neo4j_settings, case)] == laptop["hostname"]
    assert laptop["hostname_source"] == "dhcp_host"
    assert "hostname" not in unspecified


def laptop_mac(driver: Driver, settings: Neo4jSettings, case: str) -> str:
    query = "MATCH (:Host {case: $case, ip: '169.254.216.43'})-[:HAS_MAC]->(m) RETURN m"
    with driver.session(database=settings.database) as session:
        (record,) = list(session.run(query, case=case))
    return str(record["m"]["address"])
