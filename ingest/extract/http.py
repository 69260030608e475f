"""HTTP/1.x (RFC 9112): requests, banners, credentials and file transfers.

Requests and responses are paired in order on one connection. Bodies are
delimited by Content-Length or chunked coding; a response without either
runs to the end of the connection. A body's SHA-256 is given only when all of
it is in the capture: as many bytes as Content-Length says, the last chunk of
a chunked body, or the server's FIN after a body without either; and no gap.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from icsgraph.ingest.extract._common import Joined, artifact, join, text
from icsgraph.ingest.extract.ntlm import parse_authenticate
from icsgraph.ingest.records import ArtifactRecord, ArtifactValue, Conversation

_REQUEST = re.compile(rb"([A-Z][A-Z-]{2,15}) (\S{1,8192}) HTTP/(\d\.\d)\r?\n")
_STATUS = re.compile(rb"HTTP/(\d\.\d) (\d{3})(?: ([^\r\n]*))?\r?\n")
_DISPOSITION = re.compile(r"""filename\*?=(?:UTF-8'')?"?([^";]+)"?""", re.IGNORECASE)
_PASSWORD_FIELDS = re.compile(r"pass|pwd|secret|pin$", re.IGNORECASE)
_USER_FIELDS = re.compile(r"user|login|email|account|^name$|^uid$", re.IGNORECASE)
_NO_BODY = {"HEAD"}
_LIMIT = 1 << 20


@dataclass(slots=True)
class Message:
    """One request or response: start line, headers and body."""

    start: tuple[str, ...]
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    complete: bool = True
    frames: tuple[int, ...] = ()
    time: float = 0.0
    body_size: int = 0  # body bytes in the capture
    span: tuple[int, ...] = ()  # frames of the whole message, body included
    expected_size: int | None = None  # what Content-Length announced


def extract_http(conv: Conversation) -> Iterator[ArtifactRecord]:
    """Everything an HTTP/1.x session leaks, request by request."""
    if conv.transport != "tcp":
        return
    client = join(conv, "out")
    if not _REQUEST.match(client.data[:8200]):
        return
    requests = list(parse_messages(client, _REQUEST, None))
    methods = [r.start[0] for r in requests]
    server = join(conv, "in")
    closed = conv.closed_in and len(server.data) == conv.bytes_in
    responses = list(parse_messages(server, _STATUS, methods, closed))
    for index, request in enumerate(requests):
        response = responses[index] if index < len(responses) else None
        yield from _exchange(conv, request, response, first=index == 0)


def parse_messages(
    stream: Joined,
    start_line: re.Pattern[bytes],
    methods: list[str] | None,
    closed: bool = False,
) -> Iterator[Message]:
    """Split one direction into messages; ``methods`` pairs responses.

    Messages start in the first ``_LIMIT`` bytes; a body may run past them.
    ``closed`` says the direction ended with a FIN and every byte of it is in
    ``stream``: only then is a body that runs to the end of the connection
    complete.
    """
    data, pos, count = stream.data, 0, 0
    while pos < min(len(data), _LIMIT):
        match = start_line.match(data, pos)
        head_end = data.find(b"\r\n\r\n", pos)
        if match is None or head_end < 0:
            return
        headers = _headers(data[match.end() : head_end])
        method = methods[count] if methods and count < len(methods) else ""
        status = match.group(2) if methods is not None else b""
        body_start = head_end + 4
        body, end, complete, declared = _body(
            data, body_start, headers, (method, status), methods, closed
        )
        if any(body_start <= gap < end for gap in stream.gap_offsets):
            complete = False
        groups = tuple(g.decode("latin-1") for g in match.groups() if g is not None)
        yield Message(
            groups,
            headers,
            body,
            complete,
            frames=stream.frames_between(pos, body_start),
            time=stream.time_at(pos),
            body_size=len(body),
            span=stream.frames_between(pos, max(end, body_start)),
            expected_size=declared,
        )
        pos, count = end, count + 1


def _headers(block: bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in block.split(b"\r\n"):
        name, sep, value = line.partition(b":")
        if sep:
            headers.setdefault(
                name.strip().lower().decode("latin-1"), text(value, 2048)
            )
    return headers


def _body(
    data: bytes,
    start: int,
    headers: dict[str, str],
    answering: tuple[str, bytes],
    methods: list[str] | None,
    closed: bool,
) -> tuple[bytes, int, bool, int | None]:
    """Body bytes, where the next message starts, completeness, declared size.

    ``answering`` is the request's method and the response's status (both
    empty for a request). The declared size is Content-Length's; None for
    chunked bodies and bodies that run to the end of the connection, which
    are complete only when the connection was ``closed``.
    """
    method, status = answering
    if method in _NO_BODY or status[:1] == b"1" or status in (b"204", b"304"):
        return b"", start, True, 0
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return _chunked(data, start)
    length = headers.get("content-length", "")
    if length.isdigit():
        size = int(length)
        body = data[start : start + size]
        return body, start + size, len(body) == size, size
    if methods is None:  # a request without a length has no body
        return b"", start, True, 0
    return data[start:], len(data), closed, None


def _chunked(data: bytes, pos: int) -> tuple[bytes, int, bool, None]:
    """A chunked body; complete only when the zero-size last chunk is seen."""
    body = bytearray()
    while True:
        line_end = data.find(b"\r\n", pos)
        if line_end < 0:
            return bytes(body), len(data), False, None
        try:
            size = int(data[pos:line_end].split(b";")[0], 16)
        except ValueError:
            return bytes(body), len(data), False, None
        chunk_start = line_end + 2
        if size == 0:
            trailer = data.find(b"\r\n\r\n", line_end)
            end = len(data) if trailer < 0 else trailer + 4
            return bytes(body), end, True, None
        chunk = data[chunk_start : chunk_start + size]
        body += chunk
        if len(chunk) < size:
            return bytes(body), len(data), False, None
        pos = chunk_start + size + 2


def _exchange(
    conv: Conversation, request: Message, response: Message | None, first: bool
) -> Iterator[ArtifactRecord]:
    method, uri = request.start[0], request.start[1]
    frames = request.frames + (response.frames if response else ())
    values: list[tuple[str, ArtifactValue | None]] = [
        ("method", method),
        ("host", request.headers.get("host")),
        ("uri", uri),
        ("version", request.start[2]),
        ("status", int(response.start[1]) if response else None),
        ("allow", response.headers.get("allow") if response else None),
        ("content_type", response.headers.get("content-type") if response else None),
    ]
    yield artifact(conv, "http_request", values, frames, request.time)
    if response is not None and "server" in response.headers and first:
        server = (
            ("protocol", "http"),
            ("field", "server"),
            ("text", response.headers["server"]),
        )
        yield artifact(conv, "banner", server, response.frames, response.time)
    if "user-agent" in request.headers and first:
        agent = (
            ("protocol", "http"),
            ("field", "user-agent"),
            ("text", request.headers["user-agent"]),
        )
        yield artifact(conv, "banner", agent, request.frames, request.time, "client")
    yield from _credentials(conv, request)
    yield from _files(conv, request, response)


def _credentials(conv: Conversation, request: Message) -> Iterator[ArtifactRecord]:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    fields: dict[str, str] | None = None
    if scheme.lower() == "basic":
        user, _, password = _b64(token).decode("latin-1").partition(":")
        fields = {"scheme": "basic", "username": user, "password": password}
    elif scheme.lower() in ("ntlm", "negotiate"):
        found = parse_authenticate(_b64(token))
        fields = {"scheme": "ntlm", **found} if found else None
    elif request.start[0] == "POST" and "urlencoded" in request.headers.get(
        "content-type", ""
    ):
        fields = _form_login(request.body)
    if fields:
        values = [("protocol", "http"), *fields.items(), ("uri", request.start[1])]
        yield artifact(conv, "credential", values, request.frames, request.time)


def _b64(token: str) -> bytes:
    try:
        return base64.b64decode(token.strip(), validate=False)
    except (binascii.Error, ValueError):
        return b""


def _form_login(body: bytes) -> dict[str, str] | None:
    pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
    passwords = [(k, v) for k, v in pairs if _PASSWORD_FIELDS.search(k)]
    if not passwords:
        return None
    users = [(k, v) for k, v in pairs if _USER_FIELDS.search(k)]
    found = {
        "scheme": "form",
        "password_field": passwords[0][0],
        "password": passwords[0][1],
    }
    if users:
        found.update(username_field=users[0][0], username=users[0][1])
    return found


def _files(
    conv: Conversation, request: Message, response: Message | None
) -> Iterator[ArtifactRecord]:
    method, uri = request.start[0], request.start[1]
    if request.body and method in ("POST", "PUT") and not _is_form(request):
        yield _file(conv, request, uri, "upload", "client")
    ok = response is not None and response.start[1].startswith("2")
    sized = response is not None and (response.body_size or response.expected_size)
    if response is not None and ok and sized and method != "CONNECT":
        yield _file(conv, response, uri, "download", "server")


def _is_form(request: Message) -> bool:
    return "urlencoded" in request.headers.get("content-type", "")


def _file(
    conv: Conversation, message: Message, uri: str, direction: str, about: str
) -> ArtifactRecord:
    match = _DISPOSITION.search(message.headers.get("content-disposition", ""))
    name = match.group(1) if match else unquote(urlsplit(uri).path.rsplit("/", 1)[-1])
    values = (
        ("protocol", "http"),
        ("name", name or "/"),
        ("uri", uri),
        ("direction", direction),
        ("size", message.body_size),
        ("expected_size", message.expected_size),
        ("content_type", message.headers.get("content-type")),
        (
            "sha256",
            hashlib.sha256(message.body).hexdigest() if message.complete else None,
        ),
        ("complete", int(message.complete)),
    )
    return artifact(conv, "file_transfer", values, message.span, message.time, about)
