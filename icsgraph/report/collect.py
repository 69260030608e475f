"""Running the investigation's steps on the graph and keeping their answers.

Findings are recorded first, so the scanning and ATT&CK steps read the
case's current findings. Every answer keeps the query's id and text, the
command that reruns it, its rows (secrets masked unless asked for) and the
sessions it points at, each with its frames and its ``icsgraph follow`` line.
"""

from __future__ import annotations

import json
import re
import shlex
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from icsgraph.display import display_rows
from icsgraph.errors import QueryError
from icsgraph.report.steps import SCAN_RULES, STEPS, Call, Scope, Step
from icsgraph.secrets import mask_rows
from icsgraph.viz.render import follow_command

if TYPE_CHECKING:
    from neo4j import Driver

SESSION_KEY = re.compile(r"^.+\|[0-9a-f]{12}\|(tcp|udp)\|\d+$")
EVIDENCE_COLUMNS = ("session", "sessions", "evidence", "sample_sessions")
MAX_EVIDENCE = 50  # sessions listed per answer


@dataclass(frozen=True, slots=True)
class Evidence:
    """A session an answer points at, and how to open it."""

    session: str
    frames: str
    follow: str


@dataclass(frozen=True, slots=True)
class Answer:
    ref: str
    title: str
    cypher: str
    rerun: str
    params: dict[str, Any]
    keys: list[str]
    rows: list[dict[str, Any]]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class StepResult:
    number: int
    title: str
    question: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True, slots=True)
class Investigation:
    case: str
    suspects: tuple[str, ...]
    alert: str | None
    suspects_from: str
    findings: int
    steps: tuple[StepResult, ...]
    secrets_shown: bool
    notes: list[str] = field(default_factory=list)


def rerun_line(ref: str, params: Mapping[str, Any]) -> str:
    """The ``icsgraph query`` command that gives the same answer."""
    parts = ["icsgraph", "query", ref, "--case", shlex.quote(str(params["case"]))]
    for name, value in params.items():
        if name != "case":
            text = value if isinstance(value, str) else _json(value)
            parts += ["-p", shlex.quote(f"{name}={text}")]
    return " ".join(parts)


def _json(value: Any) -> str:
    return json.dumps(value)


def pairs_as_maps(value: Any) -> Any:
    """``[[name, value], ...]`` lists (artifact values) as dicts, so that
    masking sees the names."""
    if isinstance(value, list):
        if value and all(
            isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) for v in value
        ):
            return {v[0]: pairs_as_maps(v[1]) for v in value}
        return [pairs_as_maps(v) for v in value]
    return value


def clean_rows(
    keys: list[str], rows: list[dict[str, Any]], show_secrets: bool
) -> list[dict[str, Any]]:
    """Rows with pair lists as maps and, unless asked, secrets masked."""
    shaped = [{k: pairs_as_maps(row[k]) for k in keys} for row in rows]
    shown = display_rows(keys, shaped)
    return shown if show_secrets else mask_rows(keys, shown)


def _frames(row: Mapping[str, Any]) -> str:
    first, last = row.get("first_frame"), row.get("last_frame")
    if first is None:
        return ""
    return str(first) if last in (None, first) else f"{first}-{last}"


def evidence_of(case: str, rows: Sequence[Mapping[str, Any]]) -> tuple[Evidence, ...]:
    """The sessions the rows name, first seen first, each once."""
    found: dict[str, Evidence] = {}
    for row in rows:
        for column in EVIDENCE_COLUMNS:
            value = row.get(column)
            keys = value if isinstance(value, list) else [value]
            single = column == "session"
            for key in keys:
                if isinstance(key, str) and SESSION_KEY.match(key):
                    frames = _frames(row) if single else ""
                    found.setdefault(
                        key, Evidence(key, frames, follow_command(case, key))
                    )
    return tuple(found.values())[:MAX_EVIDENCE]


def bindings(
    call: Call, case: str, suspects: Sequence[str], alert: str | None
) -> list[dict[str, Any]]:
    """The parameter sets one call runs with (none when it does not apply)."""
    if call.scope is Scope.CASE:
        return [{"case": case}]
    if call.scope is Scope.ALERT:
        return [{"case": case, "alert": alert}] if alert else []
    if call.scope is Scope.SUSPECTS:
        return [{"case": case, "suspects": list(suspects)}]
    return [{"case": case, "suspect": s} for s in suspects]


def run_call(
    driver: Driver, database: str, call: Call, params: dict[str, Any], shown: bool
) -> Answer:
    """One pack query of a step, run through the packs' own runner."""
    from icsgraph.queries.packs import find_query
    from icsgraph.queries.run import run_pack_query

    query = find_query(call.ref)
    if query is None:
        raise QueryError(f"investigate: no pack query {call.ref}")
    keys, rows = run_pack_query(driver, database, call.ref, params)
    clean = clean_rows(keys, rows, shown)
    return Answer(
        ref=call.ref,
        title=query.title,
        cypher=query.text,
        rerun=rerun_line(call.ref, params),
        params=params,
        keys=keys,
        rows=clean,
        evidence=evidence_of(str(params["case"]), rows),
    )


def run_step(
    driver: Driver, database: str, step: Step, plan: Investigation
) -> StepResult:
    answers = [
        run_call(driver, database, call, params, plan.secrets_shown)
        for call in step.calls
        for params in bindings(call, plan.case, plan.suspects, plan.alert)
    ]
    return StepResult(step.number, step.title, step.question, tuple(answers))


def alert_source(driver: Driver, database: str, case: str, alert: str) -> str:
    """The source address of an imported alert (its destination if none)."""
    from icsgraph.queries.run import run_pack_query

    given = {"case": case, "alert": alert}
    _, rows = run_pack_query(driver, database, "context/alerts", given)
    for row in rows:
        if row["source"] or row["destination"]:
            return str(row["source"] or row["destination"])
    raise QueryError(f"no alert {alert!r} with an address in case {case!r}")


def top_scanner(driver: Driver, database: str, case: str) -> str:
    """The actor of the most scanning findings (then the most evidence)."""
    from icsgraph.queries.run import run_pack_query

    _, rows = run_pack_query(driver, database, "attack/findings", {"case": case})
    score: Counter[str] = Counter()
    for row in rows:
        if row["rule"] in SCAN_RULES and row["hosts"]:
            score[row["hosts"][0]] += 1000 + int(row["evidence"] or 0)
    if not score:
        raise QueryError(
            f"case {case!r} has no scanning finding to start from; give --suspect"
        )
    return min(score, key=lambda ip: (-score[ip], ip))


def investigate(
    driver: Driver,
    database: str,
    case: str,
    suspects: Sequence[str],
    alert: str | None,
    show_secrets: bool,
) -> Investigation:
    """Record findings, settle the suspects, then run every step."""
    from icsgraph.queries.config import load_thresholds
    from icsgraph.queries.findings import record_findings

    findings = record_findings(driver, database, case, load_thresholds())
    chosen, origin = tuple(dict.fromkeys(suspects)), "given with --suspect"
    if not chosen and alert:
        chosen, origin = (
            (alert_source(driver, database, case, alert),),
            (f"the source of alert {alert}"),
        )
    elif not chosen:
        chosen = (top_scanner(driver, database, case),)
        origin = "the top actor of the scanning findings"
    plan = Investigation(case, chosen, alert, origin, findings, (), show_secrets)
    steps = tuple(run_step(driver, database, step, plan) for step in STEPS)
    return Investigation(case, chosen, alert, origin, findings, steps, show_secrets)
