"""Extractors of text protocols, on byte literals."""

from __future__ import annotations

import base64
import hashlib
import struct

from pcap_feeder import make_conversation

from icsgraph.ingest.extract.banners import extract_banners
from icsgraph.ingest.extract.ftp import extract_ftp
from icsgraph.ingest.extract.http import extract_http
from icsgraph.ingest.extract.jdwp import extract_jdwp
from icsgraph.ingest.extract.rdp import extract_rdp
from icsgraph.ingest.extract.ssh import extract_ssh
from icsgraph.ingest.extract.telnet import extract_telnet, strip_telnet
from icsgraph.ingest.extract.transfers import tie_data_sessions
from icsgraph.ingest.records import ArtifactRecord, Conversation


def only(records: list[ArtifactRecord], kind: str) -> list[ArtifactRecord]:
    return [r for r in records if r.kind == kind]


def test_strip_telnet_removes_negotiation_and_keeps_escaped_iac() -> None:
    raw = b"\xff\xfd\x18a\xff\xfa\x18\x01\xff\xf0b\xff\xffc\xff\xf1d"

    clean, where = strip_telnet(raw)

    assert clean == b"ab\xffcd"
    assert where == [3, 10, 11, 13, 16]


def test_telnet_login_with_echo_and_backspace() -> None:
    turns = [
        ("in", b"\xff\xfb\x01\xff\xfb\x03Router v1\r\nlogin: "),
        ("out", b"r"),
        ("in", b"r"),
        ("out", b"x"),
        ("in", b"x"),
        ("out", b"\x7f"),
        ("in", b"\x08 \x08"),
        ("out", b"oot\r\n"),
        ("in", b"oot\r\nPassword: "),
        ("out", b"toor\r\n"),
        ("in", b"\r\n# "),
    ]

    found = list(extract_telnet(make_conversation(turns, 23)))

    (banner,) = only(found, "banner")
    (login,) = only(found, "credential")
    assert (banner.get("text"), banner.frames) == ("Router v1", (4,))
    assert (login.get("username"), login.get("password")) == ("root", "toor")
    assert login.get("outcome") == "accepted"
    assert login.frames == (4, 5, 7, 9, 11, 12, 13)


def test_telnet_typeahead_before_the_password_prompt() -> None:
    turns = [
        ("in", b"login: "),
        ("out", b"admin\r\nsecret\r\n"),
        ("in", b"admin\r\nPassword: "),
        ("in", b"\r\nLogin incorrect\r\n"),
    ]

    (login,) = only(list(extract_telnet(make_conversation(turns, 23))), "credential")

    assert login.values == (
        ("protocol", "telnet"),
        ("username", "admin"),
        ("password", "secret"),
        ("outcome", "failed"),
    )


def test_ftp_login_transfers_and_data_tie() -> None:
    control = make_conversation(
        [
            ("in", b"220 ProFTPD Server ready\r\n"),
            ("out", b"USER bob\r\n"),
            ("in", b"331 Password required\r\n"),
            ("out", b"PASS hunter2\r\n"),
            ("in", b"230 Logged in\r\n"),
            ("out", b"PASV\r\n"),
            ("in", b"227 Entering Passive Mode (192,0,2,2,19,137)\r\n"),
            ("out", b"RETR plc.bak\r\n"),
            ("in", b"150 Opening\r\n226 Done\r\n"),
            ("out", b"PORT 192,0,2,1,200,10\r\n"),
            ("in", b"200 OK\r\n"),
            ("out", b"STOR up.bin\r\n"),
            ("in", b"226 Done\r\n"),
        ],
        21,
    )
    data = make_conversation(
        [("in", b"A" * 3000)], 5001, index=1, first_frame=12, closed=("in",)
    )

    found = list(extract_ftp(control))
    tied = tie_data_sessions(found, [control, data])

    (login,) = only(found, "credential")
    assert (login.get("username"), login.get("password"), login.frames) == (
        "bob",
        "hunter2",
        (5, 7),
    )
    retr, stor = tied
    assert (retr.get("name"), retr.get("direction"), retr.get("data_port")) == (
        "plc.bak",
        "download",
        5001,
    )
    assert (retr.get("data_session"), retr.get("size"), retr.get("complete")) == (
        1,
        3000,
        1,
    )
    assert retr.get("sha256") == hashlib.sha256(b"A" * 3000).hexdigest()
    assert (stor.get("data_ip"), stor.get("data_port")) == ("192.0.2.1", 51210)
    assert stor.get("size") is None  # no data session in the capture


def ftp_retr(*replies: bytes, size_reply: bytes = b"") -> list[ArtifactRecord]:
    """An FTP RETR of fw.bin over PASV to port 5001, with these replies to it."""
    turns = [("in", b"220 FTP ready\r\n")]
    if size_reply:
        turns += [("out", b"SIZE fw.bin\r\n"), ("in", size_reply)]
    turns += [
        ("out", b"PASV\r\n"),
        ("in", b"227 Entering Passive Mode (192,0,2,2,19,137)\r\n"),
        ("out", b"RETR fw.bin\r\n"),
        *(("in", reply) for reply in replies),
    ]
    return list(extract_ftp(make_conversation(turns, 21)))


def ftp_data(body: bytes, closed: bool) -> Conversation:
    return make_conversation(
        [("in", body[:1000]), ("in", body[1000:])],
        5001,
        index=1,
        first_frame=20,
        closed=("in",) if closed else (),
    )


def test_ftp_data_cut_off_before_fin_is_partial_without_hash() -> None:
    (retr,) = ftp_retr(
        b"150 Opening BINARY mode data connection for fw.bin (9000 bytes)\r\n"
    )
    data = ftp_data(b"B" * 2500, closed=False)

    (tied,) = tie_data_sessions([retr], [data])

    assert retr.get("expected_size") == 9000
    assert (tied.get("size"), tied.get("expected_size"), tied.get("complete")) == (
        2500,
        9000,
        0,
    )
    assert tied.get("sha256") is None
    assert tied.frames == (7, 20, 21)  # the RETR, then the data


def test_ftp_data_with_fin_and_the_announced_size_is_complete() -> None:
    (retr,) = ftp_retr(
        b"150 Opening BINARY mode data connection\r\n",
        b"226 Transfer complete\r\n",
        size_reply=b"213 2500\r\n",
    )
    data = ftp_data(b"C" * 2500, closed=True)

    (tied,) = tie_data_sessions([retr], [data])

    assert (tied.get("size"), tied.get("expected_size"), tied.get("complete")) == (
        2500,
        2500,
        1,
    )
    assert tied.get("sha256") == hashlib.sha256(b"C" * 2500).hexdigest()


def test_ftp_data_shorter_than_the_size_reply_is_partial() -> None:
    (retr,) = ftp_retr(b"226 Transfer complete\r\n", size_reply=b"213 4096\r\n")
    data = ftp_data(b"D" * 2500, closed=True)

    (tied,) = tie_data_sessions([retr], [data])

    assert (tied.get("size"), tied.get("expected_size"), tied.get("complete")) == (
        2500,
        4096,
        0,
    )
    assert tied.get("sha256") is None


def test_http_chunked_download_and_server_banner() -> None:
    request = b"GET /files/fw.bin HTTP/1.1\r\nHost: plc\r\nUser-Agent: curl/8\r\n\r\n"
    response = (
        b"HTTP/1.1 200 OK\r\nServer: lighttpd\r\nTransfer-Encoding: chunked\r\n"
        b'Content-Disposition: attachment; filename="image.bin"\r\n\r\n'
        b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    )

    found = list(
        extract_http(make_conversation([("out", request), ("in", response)], 80))
    )

    (req,) = only(found, "http_request")
    (file,) = only(found, "file_transfer")
    assert (req.get("method"), req.get("host"), req.get("uri"), req.get("status")) == (
        "GET",
        "plc",
        "/files/fw.bin",
        200,
    )
    assert {
        (b.get("field"), b.get("text"), b.about) for b in only(found, "banner")
    } == {("server", "lighttpd", "server"), ("user-agent", "curl/8", "client")}
    assert (file.get("name"), file.get("size"), file.get("direction")) == (
        "image.bin",
        11,
        "download",
    )
    assert file.get("sha256") == hashlib.sha256(b"hello world").hexdigest()


def test_http_truncated_body_has_no_hash() -> None:
    response = b"HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\npartial"
    conv = make_conversation(
        [("out", b"GET /a.txt HTTP/1.0\r\n\r\n"), ("in", response)], 80
    )

    (file,) = only(list(extract_http(conv)), "file_transfer")

    assert (file.get("size"), file.get("expected_size")) == (7, 100)
    assert (file.get("complete"), file.get("sha256")) == (0, None)


def test_http_body_to_the_end_needs_the_servers_fin() -> None:
    request = b"GET /b.bin HTTP/1.0\r\n\r\n"
    response = b"HTTP/1.0 200 OK\r\n\r\nwhole body"
    turns = [("out", request), ("in", response)]

    (cut,) = only(list(extract_http(make_conversation(turns, 80))), "file_transfer")
    (whole,) = only(
        list(extract_http(make_conversation(turns, 80, closed=("in",)))),
        "file_transfer",
    )

    assert (cut.get("size"), cut.get("complete"), cut.get("sha256")) == (10, 0, None)
    assert (whole.get("size"), whole.get("complete")) == (10, 1)
    assert whole.get("sha256") == hashlib.sha256(b"whole body").hexdigest()


def test_http_chunked_body_without_the_last_chunk_is_partial() -> None:
    response = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"
    turns = [("out", b"GET /c HTTP/1.1\r\nHost: x\r\n\r\n"), ("in", response)]
    conv = make_conversation(turns, 80, closed=("in",))

    (file,) = only(list(extract_http(conv)), "file_transfer")

    assert (file.get("size"), file.get("complete"), file.get("sha256")) == (5, 0, None)


def test_http_credentials_basic_form_and_ntlm() -> None:
    basic = base64.b64encode(b"admin:1234").decode()
    ntlm = base64.b64encode(ntlm_authenticate("CORP", "alice", "WS1")).decode()
    form = b"user=op&pwd=s3cret&go=1"
    turns = [
        ("out", f"GET / HTTP/1.1\r\nAuthorization: Basic {basic}\r\n\r\n".encode()),
        ("in", b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        (
            "out",
            b"POST /login HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded"
            b"\r\nContent-Length: 23\r\n\r\n" + form,
        ),
        ("in", b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n"),
        ("out", f"GET /x HTTP/1.1\r\nAuthorization: NTLM {ntlm}\r\n\r\n".encode()),
    ]

    creds = only(list(extract_http(make_conversation(turns, 80))), "credential")

    assert [(c.get("scheme"), c.get("username"), c.get("password")) for c in creds] == [
        ("basic", "admin", "1234"),
        ("form", "op", "s3cret"),
        ("ntlm", "alice", None),
    ]
    assert creds[2].get("domain") == "CORP"


def ntlm_authenticate(domain: str, user: str, host: str) -> bytes:
    fields = [s.encode("utf-16-le") for s in (domain, user, host)]
    offset, header = 64, b""
    for field in fields:
        header += struct.pack("<HHI", len(field), len(field), offset)
        offset += len(field)
    empty = struct.pack("<HHI", 0, 0, 64)
    head = (
        b"NTLMSSP\x00"
        + struct.pack("<I", 3)
        + empty
        + struct.pack("<HHI", 24, 24, 64)
        + header
        + empty
        + struct.pack("<I", 1)
    )
    return head + b"".join(fields)


def test_ssh_rdp_jdwp_and_banners() -> None:
    ssh = make_conversation(
        [
            ("in", b"SSH-2.0-OpenSSH_8.9p1 Ubuntu-3\r\n"),
            ("out", b"SSH-2.0-libssh_0.9.6\r\n"),
        ],
        22,
    )
    rdp = make_conversation(
        [
            (
                "out",
                b"\x03\x00\x00\x2a\x25\xe0\x00\x00\x00\x00\x00"
                b"Cookie: mstshash=eng1\r\n\x01\x00",
            )
        ],
        3389,
    )
    jdwp = make_conversation([("out", b"JDWP-Handshake")], 8000)
    smtp = make_conversation([("in", b"220 mail ESMTP Postfix\r\n")], 25)
    vnc = make_conversation([("in", b"RFB 003.008\n")], 5900)
    other = make_conversation([("in", b"Welcome to PLC shell v3\r\n> ")], 9999)
    binary = make_conversation([("in", bytes(range(40)))], 9998)

    (server,) = [a for a in extract_ssh(ssh) if a.about == "server"]
    (cookie,) = extract_rdp(rdp)
    (handshake,) = extract_jdwp(jdwp)

    assert (server.get("software"), server.get("comments")) == (
        "OpenSSH_8.9p1",
        "Ubuntu-3",
    )
    assert (cookie.get("cookie"), cookie.about) == ("eng1", "client")
    assert (handshake.get("requested"), handshake.get("answered")) == (1, 0)
    assert [a.get("protocol") for a in extract_banners(smtp)] == ["smtp"]
    assert [a.get("version") for a in extract_banners(vnc)] == ["3.8"]
    (generic,) = extract_banners(other)
    assert (generic.get("protocol"), generic.confidence) == ("tcp/9999", 0.7)
    assert list(extract_banners(binary)) == []
