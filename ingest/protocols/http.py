"""HTTP/1.x (RFC 9112) requests and responses, and SSDP (UPnP Device
Architecture 2.0: HTTP over UDP, M-SEARCH / NOTIFY)."""

from __future__ import annotations

METHODS = (
    b"GET ", b"POST ", b"HEAD ", b"PUT ", b"DELETE ", b"OPTIONS ",
    b"CONNECT ", b"TRACE ", b"PATCH ", b"PROPFIND ",
)  # fmt: skip
SSDP = (b"M-SEARCH * HTTP/1.", b"NOTIFY * HTTP/1.")


def detect(client: bytes, server: bytes) -> str | None:
    """http from a request line or a status line; ssdp from its requests."""
    if client.startswith(SSDP):
        return "ssdp"
    if client.startswith(METHODS) and b" HTTP/1." in client[:2048].split(b"\n")[0]:
        return "http"
    if server.startswith(b"HTTP/1.") and not client.startswith(SSDP):
        return "http"
    return None
