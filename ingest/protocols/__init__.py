"""Name the application protocol of a session, from its first bytes or port.

`DETECTORS` is the one ordered table: each row is a detector (a pure
function of the first bytes the client and the server sent), the transports
it applies to and, for signatures too weak to stand alone, the ports it is
asked on. The first row whose detector names a protocol wins, with source
"payload". Failing that, `SERVICE_PORTS` names the server port (source
"port"); failing that, ("unknown", "unknown"). Adding a protocol is one
module and one row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from icsgraph.ingest.protocols import (
    bacnet,
    dhcp,
    dnp3,
    dnslike,
    enip,
    ftp,
    http,
    iec104,
    jdwp,
    melsec,
    modbus,
    ntp,
    opcua,
    smb,
    snmp,
    ssh,
    telnet,
    tftp,
    tls,
    tpkt,
    vnc,
)

Detect = Callable[[bytes, bytes], str | None]
TCP, UDP, BOTH = ("tcp",), ("udp",), ("tcp", "udp")


@dataclass(frozen=True)
class Detector:
    """One row of the registry."""

    detect: Detect
    transports: tuple[str, ...]
    ports: frozenset[int] | None = None  # None: asked on any port


DETECTORS: tuple[Detector, ...] = (
    Detector(jdwp.detect, TCP),
    Detector(ssh.detect, TCP),
    Detector(tls.detect, TCP),
    Detector(http.detect, BOTH),
    Detector(vnc.detect, TCP),
    Detector(telnet.detect, TCP),
    Detector(ftp.detect, TCP),
    Detector(smb.detect, TCP),
    Detector(tpkt.detect, TCP),
    Detector(opcua.detect, TCP),
    Detector(dnp3.detect, BOTH),
    Detector(enip.detect, BOTH, frozenset({44818, 2222})),
    Detector(modbus.detect, TCP),
    Detector(iec104.detect, TCP, frozenset({2404})),
    Detector(bacnet.detect, UDP),
    Detector(melsec.detect, BOTH),
    Detector(dhcp.detect, UDP),
    Detector(tftp.detect, UDP),
    Detector(snmp.detect, UDP),
    Detector(dnslike.detector("dns"), BOTH, frozenset({53})),
    Detector(dnslike.detector("mdns"), UDP, frozenset({5353})),
    Detector(dnslike.detector("llmnr"), BOTH, frozenset({5355})),
    Detector(dnslike.detector("nbns"), UDP, frozenset({137})),
    Detector(ntp.detect, UDP, frozenset({123})),
)

SERVICE_PORTS: dict[tuple[str, int], str] = {
    **{("tcp", port): name for port, name in (
        (20, "ftp-data"), (21, "ftp"), (22, "ssh"), (23, "telnet"), (25, "smtp"),
        (53, "dns"), (80, "http"), (102, "s7comm"), (110, "pop3"),
        (135, "dcerpc"), (139, "smb"), (143, "imap"), (443, "tls"), (445, "smb"),
        (502, "modbus"), (789, "crimson"), (1433, "tds"), (1883, "mqtt"),
        (1911, "fox"), (2404, "iec104"), (3389, "rdp"), (4840, "opcua"),
        (5000, "melsec"), (5001, "melsec"), (5007, "melsec"), (5900, "vnc"),
        (8080, "http"), (8443, "tls"), (9600, "omron-fins"), (18245, "ge-srtp"),
        (20000, "dnp3"), (44818, "enip"),
    )},
    **{("udp", port): name for port, name in (
        (53, "dns"), (67, "dhcp"), (68, "dhcp"), (69, "tftp"), (123, "ntp"),
        (137, "nbns"), (138, "netbios-dgm"), (161, "snmp"), (162, "snmp"),
        (514, "syslog"), (546, "dhcpv6"), (547, "dhcpv6"), (1900, "ssdp"),
        (2222, "enip"), (5353, "mdns"), (5355, "llmnr"), (9600, "omron-fins"),
        (17500, "db-lsp-disc"), (20000, "dnp3"), (34962, "pn_io"),
        (34963, "pn_io"), (34964, "pn_io"), (44818, "enip"), (47808, "bacnet"),
    )},
}  # fmt: skip


def is_service_port(transport: str, port: int) -> bool:
    """Whether ``port`` is well known (below 1024) or names a protocol."""
    return port < 1024 or (transport, port) in SERVICE_PORTS


def classify(
    transport: str,
    client_port: int,
    server_port: int,
    client_payload: bytes,
    server_payload: bytes,
) -> tuple[str, str]:
    """Name a session's protocol: (name, "payload" | "port" | "unknown")."""
    if client_payload or server_payload:
        for row in DETECTORS:
            if transport not in row.transports:
                continue
            if row.ports is not None and not (
                server_port in row.ports or client_port in row.ports
            ):
                continue
            name = row.detect(client_payload, server_payload)
            if name is not None:
                return name, "payload"
    name = SERVICE_PORTS.get((transport, server_port))
    if name is not None:
        return name, "port"
    return "unknown", "unknown"
