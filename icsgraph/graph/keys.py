"""Deterministic keys: the same fact in the same case always gets the same key.

A host is scoped to its case (an address is not an identity across sites); a
session is named by its case, the first 12 hex digits of the capture's sha256,
its transport and its Wireshark stream index. Re-ingesting a capture
therefore finds every node it made the first time.
"""

from __future__ import annotations


def host_key(case: str, ip: str) -> str:
    return f"{case}|{ip}"


def service_key(case: str, ip: str, transport: str, port: int) -> str:
    return f"{case}|{ip}|{transport}/{port}"


def session_key(case: str, capture_sha256: str, transport: str, index: int) -> str:
    return f"{case}|{capture_sha256[:12]}|{transport}|{index}"


def artifact_key(session: str, kind: str, first_frame: int, ordinal: int) -> str:
    return f"{session}|{kind}|{first_frame}|{ordinal}"
