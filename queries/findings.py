"""Findings: the rule queries of the packs, run and kept as graph nodes.

A rule is a pack query whose metadata names a ``finding``; each row it
returns becomes ``(Finding)-[:INVOLVES]->(Host)``, ``-[:EVIDENCED_BY]->``
its sessions and artifacts and ``-[:MAPS_TO]->(Technique)``. A finding's key
is a hash of its case, rule, hosts and evidence, so recording twice changes
nothing; the rules' old findings of the case are replaced, so a changed
threshold leaves none stale.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from icsgraph.errors import ConfigError
from icsgraph.graph.keys import host_key
from icsgraph.queries.config import ZoneMap, load_zones
from icsgraph.queries.packs import PackQuery, bind_parameters, load_packs
from icsgraph.queries.packs import write_statement as stmt
from icsgraph.queries.zones import assign_zones

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction

log = logging.getLogger(__name__)

Thresholds = Mapping[str, Mapping[str, Any]]
# Columns a rule may return that are kept on its Finding (what a scan probed).
OPTIONAL_COLUMNS = ("scan_kind", "probed", "probed_unit")


@cache
def load_techniques() -> dict[str, dict[str, Any]]:
    """The pinned technique list ``attack/techniques.json``, by id."""
    path = resources.files(__package__).joinpath("attack/techniques.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ConfigError(f"attack/techniques.json is not JSON: {exc}") from exc
    return {
        str(t["id"]): {"id": str(t["id"]), "name": t["name"], "tactics": t["tactics"]}
        for t in data["techniques"]
    }


def finding_rules() -> tuple[PackQuery, ...]:
    return tuple(q for q in load_packs() if q.finding)


def finding_key(case: str, rule: str, hosts: list[str], evidence: list[str]) -> str:
    digest = hashlib.sha256(
        json.dumps([case, rule, hosts, sorted(evidence)]).encode()
    ).hexdigest()
    return f"{case}|finding|{rule}|{digest[:20]}"


def finding_row(
    case: str, rule: PackQuery, row: Mapping[str, Any], thresholds: dict[str, Any]
) -> dict[str, Any]:
    """The parameters of one Finding from one row of its rule query."""
    hosts = [str(h) for h in row["hosts"] if h is not None]
    evidence = [str(e) for e in row["evidence"] if e is not None]
    title = f"{rule.title}: {' -> '.join(hosts[:2])}"
    props = {
        "key": finding_key(case, rule.finding or "", hosts, evidence),
        "case": case,
        "rule": rule.finding,
        "query": rule.ref,
        "title": title,
        "confidence": rule.confidence,
        "thresholds": json.dumps(thresholds, sort_keys=True),
        **{k: row[k] for k in ("capture", "first_frame", "last_frame")},
        **{k: row[k] for k in ("first_seen", "last_seen")},
        **{k: row[k] for k in OPTIONAL_COLUMNS if row.get(k) is not None},
    }
    techniques = row.get("techniques") or list(rule.attack)
    return {
        "key": props["key"],
        "props": props,
        "hosts": [host_key(case, h) for h in hosts],
        "evidence": evidence,
        "techniques": list(techniques),
    }


def _record(
    tx: ManagedTransaction, case: str, rules: tuple[PackQuery, ...], th: Thresholds
) -> int:
    tx.run(stmt("merge_techniques"), rows=list(load_techniques().values())).consume()
    names = [r.finding for r in rules]
    tx.run(stmt("clear_findings"), case=case, rules=names).consume()
    rows = []
    for rule in rules:
        params = bind_parameters(rule, {"case": case}, th)
        used = {p.name: params[p.name] for p in rule.parameters if p.threshold}
        for record in tx.run(rule.cypher, params):
            rows.append(finding_row(case, rule, record.data(), used))
    tx.run(stmt("merge_findings"), rows=rows).consume()
    return len(rows)


def record_findings(
    driver: Driver,
    database: str,
    case: str,
    thresholds: Thresholds,
    zones: ZoneMap | None = None,
) -> int:
    """Run every rule query on the case and keep its rows as Finding nodes.

    Zones are assigned first (rules such as remote_access read them), from
    ``zones`` or else the configured zones file. Returns the findings written.
    """
    rules = finding_rules()
    assign_zones(driver, database, case, zones or load_zones())  # and the schema
    with driver.session(database=database) as session:
        count = session.execute_write(_record, case, rules, thresholds)
    log.info("recorded %d findings for case %s", count, case)
    return count
