"""Artifact extractors: pure functions from a `Conversation` to artifacts.

`EXTRACTORS` is the one ordered table of them; adding one is a module here
and a line below. Each extractor decides from the conversation (ports,
protocol name, leading bytes) whether it applies, and returns nothing
otherwise. Extractors that need more than one session or no session at all
are called separately: `tie_data_sessions` (FTP and TFTP data, after every
session is finished) and `pn_dcp_identity` (PROFINET DCP, per layer-2 frame).
"""

from __future__ import annotations

import logging
from collections import Counter

from icsgraph.ingest.extract._common import PARSE_ERRORS, Extractor
from icsgraph.ingest.extract.banners import extract_banners
from icsgraph.ingest.extract.dns_dhcp import extract_dhcp, extract_dns
from icsgraph.ingest.extract.ftp import extract_ftp
from icsgraph.ingest.extract.http import extract_http
from icsgraph.ingest.extract.identity_bacnet import extract_bacnet_identity
from icsgraph.ingest.extract.identity_banner import extract_banner_identity
from icsgraph.ingest.extract.identity_enip import extract_enip_identity
from icsgraph.ingest.extract.identity_modbus import extract_modbus_identity
from icsgraph.ingest.extract.identity_pndcp import (
    pn_dcp_frame_identity,
    pn_dcp_identity,
)
from icsgraph.ingest.extract.identity_s7 import extract_s7_identity
from icsgraph.ingest.extract.jdwp import extract_jdwp
from icsgraph.ingest.extract.ntlm import extract_ntlm
from icsgraph.ingest.extract.rdp import extract_rdp
from icsgraph.ingest.extract.smb import extract_smb
from icsgraph.ingest.extract.snmp import extract_snmp
from icsgraph.ingest.extract.ssh import extract_ssh
from icsgraph.ingest.extract.telnet import extract_telnet
from icsgraph.ingest.extract.tftp import extract_tftp
from icsgraph.ingest.extract.tls import extract_tls
from icsgraph.ingest.extract.transfers import (
    extract_inferred_transfers,
    tie_data_sessions,
)
from icsgraph.ingest.ics import extract_ics_commands
from icsgraph.ingest.records import ArtifactRecord, Conversation

logger = logging.getLogger(__name__)

EXTRACTORS: tuple[Extractor, ...] = (
    extract_telnet,
    extract_banners,
    extract_ssh,
    extract_http,
    extract_ftp,
    extract_tftp,
    extract_smb,
    extract_ntlm,
    extract_snmp,
    extract_tls,
    extract_rdp,
    extract_dns,
    extract_dhcp,
    extract_jdwp,
    extract_modbus_identity,
    extract_enip_identity,
    extract_s7_identity,
    extract_bacnet_identity,
    extract_banner_identity,
    extract_inferred_transfers,
    extract_ics_commands,
)

__all__ = [
    "EXTRACTORS",
    "PARSE_ERRORS",
    "Extractor",
    "extract_artifacts",
    "pn_dcp_frame_identity",
    "pn_dcp_identity",
    "tie_data_sessions",
]


def extract_artifacts(
    conv: Conversation, problems: Counter[str] | None = None
) -> list[ArtifactRecord]:
    """Run every extractor on one conversation.

    A payload that breaks a parser costs that extractor's artifacts for this
    session only; it is counted in ``problems`` under the extractor's name.
    """
    found: list[ArtifactRecord] = []
    for extractor in EXTRACTORS:
        try:
            found.extend(extractor(conv))
        except PARSE_ERRORS:
            if problems is not None:
                problems[f"extract:{extractor.__name__}"] += 1
    return found
