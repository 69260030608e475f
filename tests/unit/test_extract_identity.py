"""Device identity extractors, on byte literals."""

from __future__ import annotations

import struct

from pcap_feeder import make_conversation

from icsgraph.ingest.extract.identity_bacnet import extract_bacnet_identity
from icsgraph.ingest.extract.identity_banner import (
    extract_banner_identity,
    load_patterns,
)
from icsgraph.ingest.extract.identity_enip import extract_enip_identity
from icsgraph.ingest.extract.identity_modbus import extract_modbus_identity
from icsgraph.ingest.extract.identity_pndcp import (
    pn_dcp_frame_identity,
    pn_dcp_identity,
)
from icsgraph.ingest.extract.identity_s7 import extract_s7_identity
from icsgraph.ingest.records import Frame


def test_modbus_read_device_identification() -> None:
    pdu = bytes([0x2B, 0x0E, 0x01, 0x83, 0x00, 0x00, 0x02, 0x00, 0x03]) + b"ACM"
    pdu += bytes([0x01, 0x04]) + b"X100"
    reply = struct.pack("!HHHB", 9, 0, len(pdu) + 1, 3) + pdu
    conv = make_conversation(
        [("out", bytes.fromhex("000900000005032b0e0100")), ("in", reply)], 502
    )

    (identity,) = extract_modbus_identity(conv)

    assert identity.values == (
        ("source", "modbus_device_identification"),
        ("unit", 3),
        ("vendor", "ACM"),
        ("product_code", "X100"),
    )
    assert (identity.frames, identity.about, identity.confidence) == (
        (5,),
        "server",
        0.9,
    )


def list_identity_reply(count: int = 1) -> bytes:
    """A ListIdentity reply with one identity item, announcing ``count``."""
    name = b"PLC-5"
    item = (
        b"\x01\x00"
        + b"\x00\x02\xaf\x12\xc0\xa8\x01\x0a"
        + b"\x00" * 8
        + struct.pack("<HHHBBHI", 0x2C, 12, 7, 3, 1, 0, 0xDEADBEEF)
        + bytes([len(name)])
        + name
        + b"\x03"
    )
    data = struct.pack("<HHH", count, 0x0C, len(item)) + item
    return struct.pack("<HHII8sI", 0x63, len(data), 0, 0, b"\x00" * 8, 0) + data


def test_enip_list_identity_over_udp() -> None:
    reply = list_identity_reply()
    conv = make_conversation([("in", reply)], 44818, transport="udp")

    (identity,) = extract_enip_identity(conv)

    assert dict(identity.values) == {
        "source": "enip_list_identity",
        "vendor_id": 0x2C,
        "device_type": 12,
        "product_code": 7,
        "revision": "3.01",
        "serial": "0xdeadbeef",
        "product_name": "PLC-5",
        "status": 0,
        "address": "192.168.1.10",
    }


def test_enip_malformed_reply_costs_only_itself() -> None:
    replies = [("in", list_identity_reply(count=2)), ("in", list_identity_reply())]
    conv = make_conversation(replies, 44818, transport="udp")

    (identity,) = extract_enip_identity(conv)

    assert (identity.get("serial"), identity.frames) == ("0xdeadbeef", (5,))


def szl_reply(szl_id: int, entry_length: int, entries: list[bytes]) -> bytes:
    data = struct.pack(
        "!BBHHHHH",
        0xFF,
        0x09,
        8 + len(b"".join(entries)),
        szl_id,
        0,
        entry_length,
        len(entries),
    ) + b"".join(entries)
    params = bytes.fromhex("000112081284010000000000")
    s7 = struct.pack("!BBHHHH", 0x32, 7, 0, 1, len(params), len(data)) + params + data
    cotp = b"\x02\xf0\x80"
    return struct.pack("!BBH", 3, 0, 4 + len(cotp) + len(s7)) + cotp + s7


def test_s7_szl_module_and_component_identification() -> None:
    module = [
        struct.pack("!H", 1) + b"6ES7 214-1AG40-0XB0 " + b"\x00\x00\x00\x00\x00\x00",
        struct.pack("!H", 7) + b" " * 20 + b"\x00\x00" + b"V\x04\x02\x01",
    ]
    component = [
        struct.pack("!H", 2) + b"CPU 1214C".ljust(32, b"\x00"),
        struct.pack("!H", 5) + b"S C-X4U421302017".ljust(32, b"\x00"),
    ]
    conv = make_conversation(
        [("in", szl_reply(0x11, 28, module)), ("in", szl_reply(0x1C, 34, component))],
        102,
    )

    first, second = extract_s7_identity(conv)

    assert dict(first.values) == {
        "source": "s7_szl_0x0011",
        "vendor": "Siemens",
        "order_number": "6ES7 214-1AG40-0XB0",
        "firmware": "V4.2.1",
    }
    assert dict(second.values)["serial"] == "S C-X4U421302017"
    assert dict(second.values)["module_name"] == "CPU 1214C"


def test_bacnet_i_am() -> None:
    apdu = bytes.fromhex("1000c4020003e9220400910321") + b"\x0f"
    datagram = (
        b"\x81\x0b"
        + struct.pack("!H", 6 + len(apdu))
        + b"\x01\x20\xff\xff\x00\xff"
        + apdu
    )
    conv = make_conversation([("out", datagram)], 47808, transport="udp")

    (identity,) = extract_bacnet_identity(conv)

    assert dict(identity.values) == {
        "source": "bacnet_i_am",
        "object_type": 8,
        "device_instance": 1001,
        "max_apdu": 1024,
        "segmentation": 3,
        "vendor_id": 15,
    }
    assert identity.about == "client"


def test_bacnet_malformed_datagram_costs_only_itself() -> None:
    apdu = bytes.fromhex("1000c4020003e9220400910321") + b"\x0f"
    good = b"\x81\x0b" + struct.pack("!H", 6 + len(apdu)) + b"\x01\x00" + apdu
    cut_short = b"\x81\x0b\x00\x08\x01\x20\xff\xff"  # no destination length
    conv = make_conversation(
        [("out", cut_short), ("out", good)], 47808, transport="udp"
    )

    (identity,) = extract_bacnet_identity(conv)

    assert (identity.get("device_instance"), identity.frames) == (1001, (5,))


def test_pn_dcp_identify_response() -> None:
    station = b"plc-line1"
    blocks = (
        struct.pack("!BBHH", 2, 2, len(station) + 2, 0)
        + station
        + b"\x00"
        + struct.pack("!BBHHHH", 2, 3, 6, 0, 0x002A, 0x0102)
        + struct.pack("!BBHHBB", 2, 4, 4, 0, 0x02, 0)
    )
    dcp = struct.pack("!HBBIHH", 0xFEFF, 5, 1, 7, 0, len(blocks)) + blocks
    frame = Frame(
        number=12,
        time=5.0,
        wire_len=60,
        link_type=1,
        src_mac="08:00:06:01:02:03",
        payload=dcp,
    )

    identity = pn_dcp_frame_identity(frame)

    assert identity is not None
    assert dict(identity.values) == {
        "source": "pn_dcp",
        "mac": "08:00:06:01:02:03",
        "station_name": "plc-line1",
        "vendor_id": "0x002a",
        "device_id": "0x0102",
        "role": "io-controller",
    }
    assert identity.frames == (12,)
    assert pn_dcp_identity(dcp[:2] + b"\x05\x00" + dcp[4:], 1, 0.0, "") is None


def test_banner_patterns_file_loads_and_names_moxa() -> None:
    banner = (
        b"\xff\xfb\x01Moxa EtherDevice Switch EDS-408A\r\nFirmware Version : V3.1\r\n"
    )
    conv = make_conversation([("in", banner)], 23)

    found = {a.get("pattern"): a for a in extract_banner_identity(conv)}

    assert {p.ident for p in load_patterns()} >= {"moxa-eds-title", "serial-line"}
    assert found["moxa-eds-title"].get("model") == "EDS-408A"
    assert found["firmware-line"].get("firmware") == "3.1"
    assert found["moxa-eds-title"].frames == (4,)
