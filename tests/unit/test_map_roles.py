"""The map's role, zone and badge rules on hand-made facts."""

from __future__ import annotations

from icsgraph.graph.map_roles import (
    ClientStats,
    HostFacts,
    Service,
    artifact_badge,
    assign_role,
    finding_flags,
    is_internal,
    zone_of,
)


def facts(**kw: object) -> HostFacts:
    base: dict[str, object] = {"address": "10.0.0.1", "zone_kind": "internal"}
    return HostFacts(**{**base, **kw})  # type: ignore[arg-type]


def test_role_rules_in_order() -> None:
    plc = (Service("tcp", 502, "modbus"),)
    probed = (Service("tcp", 502, "modbus", proven=False),)
    switch_ports = probed + tuple(
        Service("tcp", p, n) for p, n in ((22, "ssh"), (23, "telnet"), (80, "http"))
    )
    scan = ClientStats(opened=100, targets=100, peers=1, failed=95)

    assert assign_role(facts(services=plc)) == "controller"
    assert assign_role(facts(services=probed)) == "controller"
    assert assign_role(facts(services=switch_ports)) == "server"
    assert assign_role(facts(identity="Moxa EDS-516A", services=plc)) == "switch"
    assert assign_role(facts(clients=scan, services=plc)) == "scanner"
    assert assign_role(facts(clients=ClientStats(opened=5, ics_sessions=5))) == "hmi"
    assert assign_role(facts(engineering_finding=True)) == "engineering"
    assert assign_role(facts(zone_kind="internet")) == "internet"
    assert assign_role(facts()) == "unknown"


def test_few_targets_or_mostly_answered_is_not_a_scan() -> None:
    few = ClientStats(opened=10, targets=10, failed=10)
    answered = ClientStats(opened=100, targets=100, failed=40)

    assert assign_role(facts(clients=few)) == "unknown"
    assert assign_role(facts(clients=answered)) == "unknown"


def test_zones_from_the_address_or_in_zone() -> None:
    internal = ["10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "127.0.0.1"]
    internal += ["169.254.1.1", "239.1.1.1", "255.255.255.255", "fe80::1", "fd00::1"]

    assert all(is_internal(ip) for ip in internal)
    assert not is_internal("203.0.113.7")
    assert not is_internal("141.81.0.10")
    assert zone_of("8.8.8.8", []) == ("internet", "internet")
    assert zone_of("8.8.8.8", [{"name": "dmz", "kind": "dmz"}]) == ("dmz", "dmz")


def test_scan_finding_marks_only_the_actor() -> None:
    scan = {"rule": "scanning/port_scan", "techniques": [{"id": "T0846"}]}

    assert finding_flags([{**scan, "involves": {"role": "scanner"}}]) == (True, False)
    assert finding_flags([{**scan, "involves": {"role": "target"}}]) == (False, False)
    assert finding_flags([{**scan, "involves": {}, "opened": True}]) == (True, False)
    download = {"rule": "ics", "techniques": [{"id": "T0843"}], "opened": True}
    assert finding_flags([download]) == (False, True)


def test_credential_badge_names_the_user_not_the_secret() -> None:
    artifact = {
        "kind": "credential",
        "fields": [
            {"name": "protocol", "value": "telnet"},
            {"name": "username", "value": "admin"},
        ],
        "secrets": ["password"],
        "sessions": ["c|ab|tcp|1"],
    }

    badge = artifact_badge(artifact)

    assert badge is not None
    assert badge.label == "password for user admin"
    assert "hidden" in badge.detail
    assert badge.sessions == ("c|ab|tcp|1",)
