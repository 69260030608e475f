"""Protocol detectors on byte literals, and the registry's fallbacks."""

from __future__ import annotations

import pytest

from icsgraph.ingest.protocols import DETECTORS, classify, is_service_port

TPKT_CR = bytes.fromhex("0300001611e00000000100c0010ac1020100c2020102")
S7_SETUP = bytes.fromhex("0300001902f08032010000000000080000f0000001000101e0")
RDP_CR = (
    b"\x03\x00\x00\x2a\x25\xe0\x00\x00\x00\x00\x00Cookie: mstshash=ADMIN\r\n"
    + bytes.fromhex("0100080003000000")
)
DHCP = bytes([1, 1, 6, 0]) + bytes(232) + b"\x63\x82\x53\x63\x35\x01\x01\xff"

CASES = [
    ("tcp", 40000, 502, bytes.fromhex("000100000006010300000001"), b"", "modbus"),
    ("tcp", 40000, 20000, bytes.fromhex("056405c00100000004e9"), b"", "dnp3"),
    ("tcp", 40000, 102, TPKT_CR + S7_SETUP, b"", "s7comm"),
    ("tcp", 40000, 102, TPKT_CR, b"", "cotp"),
    ("tcp", 40000, 3389, RDP_CR, b"", "rdp"),
    ("tcp", 40000, 44818, bytes.fromhex("6300") + bytes(22), b"", "enip"),
    ("tcp", 40000, 2404, bytes.fromhex("680407000000"), b"", "iec104"),
    ("udp", 47808, 47808, bytes.fromhex("810b000c0120ffff00ff1008"), b"", "bacnet"),
    ("tcp", 40000, 4840, b"HELF\x38\x00\x00\x00" + bytes(48), b"", "opcua"),
    ("tcp", 40000, 23, b"", b"\xff\xfd\x18\xff\xfd\x20", "telnet"),
    ("tcp", 40000, 21, b"USER anonymous\r\n", b"220 ProFTPD ready\r\n", "ftp"),
    ("tcp", 40000, 25, b"EHLO mail\r\n", b"220 mx ESMTP\r\n", "smtp"),
    ("tcp", 40000, 8000, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"", "http"),
    ("tcp", 40000, 8000, b"", b"HTTP/1.1 200 OK\r\n", "http"),
    ("tcp", 40000, 502, bytes.fromhex("160301002e010000"), b"", "tls"),
    ("tcp", 40000, 2222, b"SSH-2.0-OpenSSH_9.0\r\n", b"", "ssh"),
    ("tcp", 40000, 5901, b"", b"RFB 003.008\n", "vnc"),
    ("tcp", 40000, 445, bytes.fromhex("00000054") + b"\xfeSMB" + bytes(60), b"", "smb"),
    (
        "tcp",
        40000,
        139,
        bytes.fromhex("00000054") + b"\xffSMBr" + bytes(60),
        b"",
        "smb",
    ),
    ("tcp", 40000, 4000, b"JDWP-Handshake", b"JDWP-Handshake", "jdwp"),
    ("tcp", 5562, 5001, b"\x57\x00\x00\x00\x00\x11\x11\x07", b"", "melsec"),
    ("udp", 53000, 53, bytes.fromhex("12340100000100000000000003777777"), b"", "dns"),
    (
        "udp",
        53000,
        5355,
        bytes.fromhex("12340000000100000000000001610000"),
        b"",
        "llmnr",
    ),
    ("udp", 137, 137, bytes.fromhex("80f00110000100000000000120"), b"", "nbns"),
    ("udp", 68, 67, DHCP, b"", "dhcp"),
    ("udp", 40000, 161, bytes.fromhex("302602010104067075626c6963a019"), b"", "snmp"),
    ("udp", 40000, 69, b"\x00\x01rfc1350.txt\x00octet\x00", b"", "tftp"),
    ("udp", 40000, 41000, b"\x00\x03\x00\x01data", b"\x00\x04\x00\x01", "tftp"),
    ("udp", 40000, 123, bytes([0x23]) + bytes(47), b"", "ntp"),
    ("udp", 40000, 1900, b"M-SEARCH * HTTP/1.1\r\nHOST: x\r\n", b"", "ssdp"),
]


@pytest.mark.parametrize(
    ("transport", "client_port", "server_port", "client", "server", "name"),
    CASES,
    ids=[f"{c[-1]}-{i}" for i, c in enumerate(CASES)],
)
def test_payload_names_the_protocol(
    transport: str,
    client_port: int,
    server_port: int,
    client: bytes,
    server: bytes,
    name: str,
) -> None:
    assert classify(transport, client_port, server_port, client, server) == (
        name,
        "payload",
    )


def test_tls_probe_on_the_modbus_port_is_not_modbus() -> None:
    hello = bytes.fromhex("16030100a5010000a10303") + bytes(40)

    assert classify("tcp", 40000, 502, hello, b"") == ("tls", "payload")


def test_port_names_when_payload_says_nothing() -> None:
    assert classify("tcp", 40000, 502, b"", b"") == ("modbus", "port")
    assert classify("tcp", 40000, 502, b"\x01\x02garbage", b"") == ("modbus", "port")


def test_unknown_port_and_payload() -> None:
    assert classify("tcp", 40000, 41000, b"\x01\x02\x03", b"") == ("unknown", "unknown")


def test_weak_signatures_are_only_asked_on_their_ports() -> None:
    dns_like = bytes.fromhex("12340100000100000000000003777777")

    assert classify("udp", 40000, 41000, dns_like, b"") == ("unknown", "unknown")


def test_service_ports() -> None:
    assert is_service_port("tcp", 22)
    assert is_service_port("tcp", 44818)
    assert not is_service_port("tcp", 50000)


def test_every_detector_is_documented() -> None:
    for row in DETECTORS:
        assert row.detect.__doc__
