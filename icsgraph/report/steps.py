"""The investigation sequence `icsgraph investigate` runs, step by step.

It follows the usual walk through an OT alert: what the alert says, the
device's other alerts, whom it talks to and how, the streams to follow, what
leaked, its own conversations, internet and DMZ sessions, file transfers,
remote access, ICS commands, scans, and the ATT&CK for ICS placement. Each
step names the pack queries that answer it and how each is scoped.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Scope(StrEnum):
    """How a query is bound: once for the case, or per suspect."""

    CASE = "case"  # only $case
    ALERT = "alert"  # $alert, run only when --alert was given
    SUSPECT = "suspect"  # $suspect, once per suspect
    SUSPECTS = "suspects"  # $suspects, all suspects at once


@dataclass(frozen=True, slots=True)
class Call:
    ref: str
    scope: Scope


@dataclass(frozen=True, slots=True)
class Step:
    number: int
    title: str
    question: str
    calls: tuple[Call, ...]


def _c(ref: str, scope: Scope = Scope.SUSPECT) -> Call:
    return Call(ref, scope)


STEPS: tuple[Step, ...] = (
    Step(1, "Alert context", "What did the sensor report, about whom?",
         (_c("context/alerts", Scope.ALERT), _c("context/host_profile"))),
    Step(2, "The device's other alerts", "Does the suspect have other alerts?",
         (_c("context/alerts"),)),
    Step(3, "Conversations and protocols",
         "Whom does the suspect talk to, and over which protocols?",
         (_c("context/peers"), _c("context/protocols"),
          _c("conversations/protocol_hierarchy"))),
    Step(4, "Streams worth following",
         "Which sessions carried readable data or yielded artifacts?",
         (_c("conversations/worth_following"),)),
    Step(5, "What leaked",
         "Banners, identities and accounts the suspect's sessions exposed.",
         (_c("context/leaked"), _c("remote_access/credentials"))),
    Step(6, "Conversations limited to the suspect",
         "Every session of the suspect, and the attempts that failed.",
         (_c("conversations/of_host"), _c("conversations/failed"))),
    Step(7, "Internet and DMZ sessions",
         "Did the suspect talk to the internet or a DMZ?",
         (_c("zones/internet_sessions"),)),
    Step(8, "File transfers", "Did files move to or from the suspects?",
         (_c("transfers/files", Scope.SUSPECTS), _c("transfers/by_protocol"))),
    Step(9, "Remote access", "RDP, VNC, SSH, Telnet and remote-support tools.",
         (_c("remote_access/sessions"),)),
    Step(10, "ICS command messages",
         "State-changing or illegal ICS commands, and who commands whom.",
         (_c("ics_commands/state_changes"), _c("ics_commands/illegal", Scope.CASE),
          _c("ics_commands/masters"), _c("ics_commands/functions"))),
    Step(11, "Scanning", "Port scans, sweeps, PLC scans and ICS discovery.",
         (_c("scanning/scanners"), _c("scanning/ports_tried"),
          _c("scanning/port_scan"),
          _c("scanning/plc_scan"), _c("scanning/address_sweep"),
          _c("scanning/ics_discovery"), _c("scanning/ics_port_probes"))),
    Step(12, "ATT&CK for ICS placement",
         "Where the findings sit in MITRE ATT&CK for ICS.",
         (_c("attack/findings"), _c("attack/techniques", Scope.CASE))),
)  # fmt: skip

SCAN_RULES = (
    "plc_scan", "port_scan", "address_sweep", "ics_discovery", "ics_port_probe",
)  # fmt: skip
