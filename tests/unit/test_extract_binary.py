"""Extractors of binary protocols, on hand-built byte literals."""

from __future__ import annotations

import hashlib
import struct

from pcap_feeder import make_conversation
from test_extract_text import ntlm_authenticate

from icsgraph.ingest.extract import extract_artifacts
from icsgraph.ingest.extract.dns_dhcp import extract_dhcp, extract_dns
from icsgraph.ingest.extract.ntlm import extract_ntlm
from icsgraph.ingest.extract.smb import extract_smb
from icsgraph.ingest.extract.snmp import extract_snmp
from icsgraph.ingest.extract.tftp import extract_tftp, tftp_data
from icsgraph.ingest.extract.tls import extract_tls
from icsgraph.ingest.extract.transfers import (
    extract_inferred_transfers,
    tie_data_sessions,
)
from icsgraph.ingest.records import Conversation


def der(tag: int, content: bytes) -> bytes:
    size = len(content)
    length = bytes([size]) if size < 0x80 else bytes([0x82]) + size.to_bytes(2, "big")
    return bytes([tag]) + length + content


def name(**parts: str) -> bytes:
    oids = {"CN": b"\x55\x04\x03", "O": b"\x55\x04\x0a", "C": b"\x55\x04\x06"}
    rdns = [
        der(0x31, der(0x30, der(0x06, oids[k]) + der(0x0C, v.encode())))
        for k, v in parts.items()
    ]
    return der(0x30, b"".join(rdns))


def certificate() -> bytes:
    validity = der(0x30, der(0x17, b"240101000000Z") + der(0x17, b"340101000000Z"))
    algorithm = der(
        0x30, der(0x06, b"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b") + b"\x05\x00"
    )
    tbs = der(
        0x30,
        der(0xA0, der(0x02, b"\x02"))
        + der(0x02, b"\x01\x02\x03")
        + algorithm
        + name(C="DE", O="Plant CA")
        + validity
        + name(CN="hmi.plant.local", O="Plant")
        + der(0x30, b""),
    )
    return der(0x30, tbs + algorithm + der(0x03, b"\x00sig"))


def record(handshake_type: int, body: bytes) -> bytes:
    message = bytes([handshake_type]) + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x03" + struct.pack("!H", len(message)) + message


def client_hello(server: str) -> bytes:
    host = server.encode()
    sni = struct.pack("!HBH", len(host) + 3, 0, len(host)) + host
    extensions = struct.pack("!HH", 0, len(sni)) + sni
    body = (
        b"\x03\x03"
        + b"\x11" * 32
        + b"\x00"
        + b"\x00\x02\x13\x01"
        + b"\x01\x00"
        + struct.pack("!H", len(extensions))
        + extensions
    )
    return record(1, body)


def test_tls_server_name_and_certificate() -> None:
    cert = certificate()
    chain = len(cert).to_bytes(3, "big") + cert
    server = record(2, b"\x03\x03" + b"\x22" * 34) + record(
        11, len(chain).to_bytes(3, "big") + chain
    )
    conv = make_conversation(
        [("out", client_hello("hmi.plant.local")), ("in", server)], 443
    )

    sni, cert_artifact = extract_tls(conv)

    assert (sni.kind, sni.get("server_name"), sni.frames) == (
        "tls_server_name",
        "hmi.plant.local",
        (4,),
    )
    assert cert_artifact.get("subject") == "CN=hmi.plant.local, O=Plant"
    assert cert_artifact.get("issuer") == "C=DE, O=Plant CA"
    assert cert_artifact.get("serial") == "010203"
    assert cert_artifact.get("not_after") == "340101000000Z"


def dns_response() -> bytes:
    question = b"\x03plc\x05plant\x00\x00\x01\x00\x01"
    answer_a = b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x0a\x00\x00\x07"
    answer_aaaa = (
        b"\xc0\x0c\x00\x1c\x00\x01\x00\x00\x00\x3c\x00\x10"
        + b"\xfd\x00"
        + b"\x00" * 13
        + b"\x07"
    )
    return (
        b"\x12\x34\x81\x80\x00\x01\x00\x02\x00\x00\x00\x00"
        + question
        + answer_a
        + answer_aaaa
    )


def test_dns_answers_resolve_names() -> None:
    conv = make_conversation(
        [("out", b"\x12\x34\x01\x00" + b"\x00" * 8), ("in", dns_response())],
        53,
        transport="udp",
    )

    found = [(a.get("name"), a.get("address"), a.frames) for a in extract_dns(conv)]

    assert found == [("plc.plant", "10.0.0.7", (5,)), ("plc.plant", "fd00::7", (5,))]


def test_dns_malformed_response_costs_only_itself() -> None:
    conv = make_conversation(
        [("in", dns_response()[:40]), ("in", dns_response())], 53, transport="udp"
    )

    found = [(a.get("address"), a.frames) for a in extract_dns(conv)]

    assert found == [("10.0.0.7", (5,)), ("fd00::7", (5,))]


def test_dhcp_host_name_and_vendor_class() -> None:
    bootp = bytearray(240)
    bootp[0], bootp[28:34] = 1, bytes.fromhex("0090e8aabbcc")
    bootp[236:240] = b"\x63\x82\x53\x63"
    options = b"\x35\x01\x01\x0c\x04hmi1\x3c\x08MSFT 5.0\xff"
    conv = make_conversation([("out", bytes(bootp) + options)], 67, transport="udp")

    (host,) = extract_dhcp(conv)

    assert host.values == (
        ("host_name", "hmi1"),
        ("vendor_class", "MSFT 5.0"),
        ("mac", "00:90:e8:aa:bb:cc"),
        ("message", "discover"),
    )
    assert host.about == "client"


def test_dhcp_malformed_message_costs_only_itself() -> None:
    bootp = bytearray(240)
    bootp[0], bootp[28:34] = 1, bytes.fromhex("0090e8aabbcc")
    bootp[236:240] = b"\x63\x82\x53\x63"
    cut_short = bytes(bootp) + b"\x35\x01\x01\x0c"  # option 12 without a length
    good = bytes(bootp) + b"\x0c\x04hmi2\xff"
    conv = make_conversation([("out", cut_short), ("out", good)], 67, "udp")

    (host,) = extract_dhcp(conv)

    assert (host.get("host_name"), host.frames) == ("hmi2", (5,))


def test_snmp_community() -> None:
    message = bytes.fromhex("302602010104067075626c6963a019") + b"\x00" * 25

    (cred,) = extract_snmp(make_conversation([("out", message)], 161, transport="udp"))

    assert cred.values == (
        ("protocol", "snmp"),
        ("version", "v2c"),
        ("community", "public"),
        ("pdu", "get"),
    )


def test_raw_ntlmssp_in_smb_session_setup() -> None:
    blob = (
        b"\x00\x00\x00\x80\xfeSMB"
        + b"\x00" * 40
        + ntlm_authenticate("LAB", "eng", "EWS")
    )

    (cred,) = extract_ntlm(make_conversation([("out", blob)], 445))

    assert (cred.get("protocol"), cred.get("domain"), cred.get("username")) == (
        "smb",
        "LAB",
        "eng",
    )


def smb2(command: int, msg_id: int, body: bytes, response: bool = False) -> bytes:
    header = (
        b"\xfeSMB"
        + struct.pack("<HHIHHIIQ", 64, 0, 0, command, 1, int(response), 0, msg_id)
        + b"\x00" * 32
    )
    message = header + body
    return struct.pack("!I", len(message)) + message


def test_smb2_create_and_read_give_name_size_and_hash() -> None:
    file_name = "proj\\line1.s7p".encode("utf-16-le")
    create = (
        struct.pack("<H", 57)
        + b"\x00" * 42
        + struct.pack("<HH", 120, len(file_name))
        + b"\x00" * 8
        + file_name
    )
    file_id = b"\x42" * 16
    created = (
        struct.pack("<H", 89)
        + b"\x00" * 46
        + struct.pack("<Q", 10)
        + b"\x00" * 8
        + file_id
    )
    read = struct.pack("<HBBIQ", 49, 0, 0, 10, 0) + file_id + b"\x00" * 16
    data = b"0123456789"
    answer = struct.pack("<HBBII", 17, 80, 0, len(data), 0) + b"\x00" * 4 + data
    turns = [
        ("out", smb2(5, 1, create)),
        ("in", smb2(5, 1, created, True)),
        ("out", smb2(8, 2, read)),
        ("in", smb2(8, 2, answer, True)),
    ]

    (file,) = extract_smb(make_conversation(turns, 445))

    assert (file.get("name"), file.get("direction"), file.get("size")) == (
        "proj\\line1.s7p",
        "download",
        10,
    )
    assert file.get("sha256") == hashlib.sha256(data).hexdigest()
    assert file.frames == (4, 5, 6, 7)


def smb1(command: int, mid: int, words: bytes, data: bytes = b"") -> bytes:
    """One SMB1 message (ASCII names, status 0) in its NetBIOS frame."""
    header = (
        b"\xffSMB"
        + bytes([command])
        + b"\x00" * 4
        + b"\x18\x00\x00"
        + b"\x00" * 18
        + struct.pack("<H", mid)
    )
    message = header + bytes([len(words) // 2]) + words
    message += struct.pack("<H", len(data)) + data
    return struct.pack("!I", len(message)) + message


def smb1_upload(writes: list[tuple[int, bytes]]) -> Conversation:
    """NT Create AndX of \\eicar (FID 0x4000, end of file 0), then writes."""
    path = b"\\eicar\x00"
    create = b"\xff\x00\x00\x00\x00" + struct.pack("<H", len(path)) + b"\x00" * 41
    created = b"\xff\x00\x00\x00\x00" + b"\x00\x40" + b"\x00" * 61
    turns = [("out", smb1(0xA2, 7, create, path)), ("in", smb1(0xA2, 7, created))]
    for mid, (offset, body) in enumerate(writes, start=8):
        words = b"\xff\x00\x00\x00\x00\x40" + struct.pack("<I", offset)
        words += b"\x00" * 10 + struct.pack("<HH", len(body), 59)
        turns.append(("out", smb1(0x2F, mid, words, body)))
    return make_conversation(turns, 445)


EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def test_smb1_write_sizes_the_file_by_the_bytes_written() -> None:
    (file,) = extract_smb(smb1_upload([(0, EICAR[:40]), (40, EICAR[40:])]))

    assert (file.get("name"), file.get("direction")) == ("\\eicar", "upload")
    assert (file.get("size"), file.get("bytes_written"), file.get("complete")) == (
        68,
        68,
        1,
    )
    assert file.get("sha256") == hashlib.sha256(EICAR).hexdigest()
    assert file.frames == (4, 5, 6, 7)


def test_smb1_write_with_a_hole_is_partial_without_hash() -> None:
    (file,) = extract_smb(smb1_upload([(0, EICAR[:30]), (40, EICAR[40:])]))

    assert (file.get("size"), file.get("expected_size"), file.get("complete")) == (
        58,
        68,
        0,
    )
    assert file.get("sha256") is None


def test_tftp_request_tied_to_blocks_on_another_port() -> None:
    request = make_conversation(
        [("out", b"\x00\x01boot.cfg\x00octet\x00")], 69, transport="udp"
    )
    blocks = [
        ("in", b"\x00\x03\x00\x01" + b"x" * 512),
        ("out", b"\x00\x04\x00\x01"),
        ("in", b"\x00\x03\x00\x02" + b"y" * 10),
        ("in", b"\x00\x03\x00\x02" + b"y" * 10),
    ]
    data = make_conversation(blocks, 50000, transport="udp", index=1, first_frame=5)
    data = Conversation(
        **{
            **{f: getattr(data, f) for f in data.__slots__},  # type: ignore[attr-defined]
            "dst_ip": "192.0.2.2",
            "src_port": 50000,
            "dst_port": 3345,
        }
    )

    (ask,) = extract_tftp(request)
    (tied,) = tie_data_sessions([ask], [request, data])

    assert (ask.get("name"), ask.get("direction"), ask.get("client_port")) == (
        "boot.cfg",
        "download",
        50000,
    )
    assert tied.get("size") == 522
    assert tied.get("sha256") == hashlib.sha256(b"x" * 512 + b"y" * 10).hexdigest()
    assert tied.frames == (4, 5, 7)


def tftp_blocks(oack: bytes, sizes: list[int]) -> Conversation:
    turns = [("in", b"\x00\x06" + oack)] if oack else []
    for number, size in enumerate(sizes, start=1):
        turns.append(("in", b"\x00\x03" + struct.pack("!H", number) + b"z" * size))
    return make_conversation(turns, 50000, transport="udp")


def test_tftp_block_size_and_tsize_from_the_oack() -> None:
    agreed = tftp_data(
        tftp_blocks(b"blksize\x001024\x00tsize\x001536\x00", [1024, 512])
    )
    no_last = tftp_data(tftp_blocks(b"", [512, 512]))
    short = tftp_data(tftp_blocks(b"tsize\x002000\x00", [512, 100]))

    assert agreed is not None
    assert no_last is not None
    assert short is not None
    assert (agreed.size, agreed.complete, agreed.expected) == (1536, True, 1536)
    assert agreed.sha256 == hashlib.sha256(b"z" * 1536).hexdigest()
    assert (no_last.size, no_last.complete, no_last.sha256) == (1024, False, None)
    assert (short.size, short.expected, short.complete, short.sha256) == (
        612,
        2000,
        False,
        None,
    )


def test_encrypted_bulk_transfer_is_inferred() -> None:
    conv = make_conversation(
        [("out", b"SSH-2.0-x\r\n"), ("out", b"\x00" * 200_000), ("in", b"\x00" * 100)],
        22,
    )

    (inferred,) = extract_inferred_transfers(conv)

    assert (inferred.get("protocol"), inferred.get("direction")) == (
        "sftp/scp",
        "upload",
    )
    assert inferred.inferred
    assert inferred.confidence < 0.5


def test_malformed_payload_is_counted_not_raised() -> None:
    from collections import Counter

    problems: Counter[str] = Counter()
    broken = record(11, b"\x00\x00\x04\x00\x00\x01\x30")  # a 1-byte certificate
    conv = make_conversation([("in", broken)], 443)

    extract_artifacts(conv, problems)

    assert problems == Counter({"extract:extract_tls": 1})
