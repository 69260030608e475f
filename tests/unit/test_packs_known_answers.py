"""Every query file has a known-answer test on a real capture, registered here.

A query file without an entry fails; so does an entry whose test is gone or
no longer runs the query (its source must name what it checks: the query id,
or for `icsgraph diff` the section of its output that the query fills).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from icsgraph.queries.packs import PackQuery, load_packs

TESTS = Path(__file__).resolve().parents[1] / "integration"
ANSWERS = "test_packs_answers.py"
CONTEXT = "test_packs_context.py"
ICS = "test_packs_ics.py"
SCANNING = "test_packs_scanning.py"
CORRELATION = "test_packs_correlation.py"
# Tests of the engineer who owns alerts, investigate and diff.
ALERTS = "test_alerts_import.py"
INVESTIGATE = "test_investigate.py"
DIFF = "test_diff.py"

# query id -> (test file, test function, text its source must hold)
KNOWN_ANSWERS: dict[str, tuple[str, str, str | None]] = {
    "context/alerts": (ALERTS, "test_context_alerts_of_the_switch", None),
    "context/artifacts": (
        CONTEXT,
        "test_artifacts_of_a_host_carry_its_banner_and_login",
        None,
    ),
    "context/host_profile": (
        ANSWERS,
        "test_host_context_peers_and_protocol_hierarchy_agree_with_tshark",
        None,
    ),
    "context/hosts": (
        CONTEXT,
        "test_hosts_are_tsharks_ip_endpoints_with_their_packets",
        None,
    ),
    "context/layer2_devices": (
        CONTEXT,
        "test_layer2_devices_never_sent_an_ip_frame",
        None,
    ),
    "context/leaked": (INVESTIGATE, "test_the_switch_identity_is_in_what_leaked", None),
    "context/peers": (
        ANSWERS,
        "test_host_context_peers_and_protocol_hierarchy_agree_with_tshark",
        None,
    ),
    "context/protocols": (
        CONTEXT,
        "test_protocols_of_a_host_are_the_ports_it_opened_and_served",
        None,
    ),
    "conversations/failed": (
        CONTEXT,
        "test_failed_connections_are_the_syns_answered_by_a_reset",
        None,
    ),
    "conversations/of_host": (
        ANSWERS,
        "test_conversations_of_a_host_are_tsharks_rows_involving_it",
        None,
    ),
    "conversations/protocol_hierarchy": (
        ANSWERS,
        "test_host_context_peers_and_protocol_hierarchy_agree_with_tshark",
        None,
    ),
    "conversations/worth_following": (
        INVESTIGATE,
        "test_streams_worth_following_come_with_follow_lines",
        None,
    ),
    "zones/between": (ANSWERS, "test_default_zones_on_an_internet_download", None),
    "zones/hosts": (ANSWERS, "test_default_zones_on_an_internet_download", None),
    "zones/internet_sessions": (
        CONTEXT,
        "test_internet_sessions_are_the_download_from_outside",
        None,
    ),
    "transfers/by_protocol": (ANSWERS, "test_transfer_channels_by_protocol", None),
    "transfers/files": (
        ANSWERS,
        "test_file_transfers_name_the_files_tshark_sees",
        None,
    ),
    "remote_access/credentials": (
        ANSWERS,
        "test_cleartext_logins_are_listed_with_their_session",
        None,
    ),
    "remote_access/sessions": (ANSWERS, "test_remote_access_sessions", None),
    "ics_commands/functions": (
        ICS,
        "test_function_summaries_count_the_requests_tshark_sees",
        None,
    ),
    "ics_commands/illegal": (
        ICS,
        "test_illegal_flags_the_new_master_and_the_exception",
        None,
    ),
    "ics_commands/masters": (
        ICS,
        "test_masters_are_the_hosts_that_sent_requests",
        None,
    ),
    "ics_commands/state_changes": (
        ICS,
        "test_state_changes_are_the_frames_and_codes_tshark_shows",
        None,
    ),
    "scanning/address_sweep": (
        ANSWERS,
        "test_host_sweep_as_far_as_sessions_and_arp_tell",
        None,
    ),
    "scanning/arp_activity": (
        SCANNING,
        "test_arp_sweep_names_the_mac_and_as_many_addresses_as_tshark",
        None,
    ),
    "scanning/arp_sweep": (
        SCANNING,
        "test_arp_sweep_names_the_mac_and_as_many_addresses_as_tshark",
        None,
    ),
    "scanning/ics_discovery": (
        CONTEXT,
        "test_ics_discovery_counts_the_identification_requests",
        None,
    ),
    "scanning/ics_port_probes": (
        CONTEXT,
        "test_ics_port_probes_are_the_internet_sources_on_502",
        None,
    ),
    "scanning/plc_scan": (
        CONTEXT,
        "test_plc_scan_counts_the_controllers_tshark_shows",
        None,
    ),
    "scanning/port_scan": (
        ANSWERS,
        "test_port_scan_names_the_scanner_and_as_many_ports_as_tshark",
        None,
    ),
    "scanning/ports_tried": (
        INVESTIGATE,
        "test_the_scanner_and_the_ports_it_tried_agree_with_tshark",
        None,
    ),
    "scanning/scanners": (
        SCANNING,
        "test_scanning_names_the_scanner_kind_and_count_tshark_shows",
        "scanners",
    ),
    "attack/findings": (
        ANSWERS,
        "test_findings_are_recorded_once_and_placed_in_attack",
        None,
    ),
    "attack/techniques": (
        ICS,
        "test_attack_places_the_commands_under_the_published_ids",
        None,
    ),
    "correlation/diff_functions": (DIFF, "test_new_function_codes", "new_function"),
    "correlation/diff_hosts": (
        DIFF,
        "test_new_hosts_are_the_plant_hosts_only",
        "new_hosts",
    ),
    "correlation/diff_protocols": (DIFF, "test_new_protocols", "new_protocols"),
    "correlation/diff_talkers": (
        DIFF,
        "test_new_talkers_to_controllers",
        "new_talkers",
    ),
    "correlation/same_credential": (
        CORRELATION,
        "test_the_same_credential_ties_the_cases",
        None,
    ),
    "correlation/same_external": (
        ANSWERS,
        "test_an_internet_address_seen_in_two_cases_is_tied",
        None,
    ),
    "correlation/same_file": (
        CORRELATION,
        "test_the_same_file_hash_ties_the_cases",
        None,
    ),
    "correlation/same_identity": (
        CORRELATION,
        "test_the_same_device_identity_ties_the_cases",
        None,
    ),
    "correlation/same_mac": (CORRELATION, "test_the_same_macs_tie_the_cases", None),
    "correlation/same_scanner": (
        CORRELATION,
        "test_the_same_scanner_ties_the_cases",
        None,
    ),
}


@cache
def sources_of(name: str) -> dict[str, str]:
    """The source of each top-level function of a test file."""
    text = (TESTS / name).read_text(encoding="utf-8")
    return {
        node.name: ast.get_source_segment(text, node) or ""
        for node in ast.parse(text).body
        if isinstance(node, ast.FunctionDef)
    }


@pytest.mark.parametrize("query", load_packs(), ids=lambda q: q.ref)
def test_every_query_file_has_a_known_answer_test(query: PackQuery) -> None:
    ref = query.ref
    assert ref in KNOWN_ANSWERS, f"{ref} has no known-answer test registered"
    name, function, marker = KNOWN_ANSWERS[ref]

    source = sources_of(name).get(function)

    assert source is not None, f"{name}::{function} is gone"
    assert (marker or ref) in source


def test_no_entry_names_a_query_that_is_gone() -> None:
    assert set(KNOWN_ANSWERS) <= {q.ref for q in load_packs()}
