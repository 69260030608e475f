"""Query packs: one question per ``queries/<pack>/<id>.cypher`` file.

Each file starts with a header of ``//`` lines, ``key: value`` each; a line
indented by two more spaces continues the previous value::

    // title: Port scans
    // description: One source probing many ports of one target.
    // param suspect: str, default null -- only this source address
    // param min_ports: int, threshold port_scan.min_ports -- distinct ports
    // returns: scanner, target, ports
    // attack: T0846
    // finding: port_scan
    // limitations: what the graph cannot answer yet.

A parameter is ``name: type, required`` or ``type, default <JSON>`` or
``type, threshold <table.key>`` (its default read from the thresholds file),
then `` -- `` and its description. The header is parsed into frozen records
and any unknown key, type or malformed line is an error: a pack that loads is
a pack whose metadata can be trusted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, LiteralString

from icsgraph.errors import ConfigError, QueryError

# The investigation sequence; also the only folders read as packs.
PACKS = (
    "context",
    "conversations",
    "zones",
    "transfers",
    "remote_access",
    "ics_commands",
    "scanning",
    "attack",
    "correlation",
)
TYPES = ("str", "int", "float", "bool", "list[str]", "list[int]")
KEYS = frozenset(
    {"title", "description", "param", "returns", "attack", "limitations"}
    | {"step", "finding", "confidence", "requires", "writes"}
)
REQUIRES = frozenset({"zones", "findings"})
# Columns a rule query returns so that record_findings can build a Finding.
FINDING_COLUMNS = frozenset(
    {"hosts", "evidence", "capture", "first_frame", "last_frame"}
    | {"first_seen", "last_seen"}
)
REF = re.compile(r"^[a-z][a-z0-9_]*/[a-z][a-z0-9_]*$")
PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
ATTACK_RE = re.compile(r"^T0\d{3}$")
_LINE = re.compile(r"^//\s?(?P<key>[a-z]+)(?: (?P<name>[a-z_][a-z0-9_]*))?:\s*(.*)$")


@dataclass(frozen=True, slots=True)
class Parameter:
    """One ``$name`` a query takes besides ``$case``."""

    name: str
    type: str
    description: str
    required: bool = False
    default: Any = None  # JSON value; lists kept as tuples
    threshold: str | None = None  # "table.key" in the thresholds file


@dataclass(frozen=True, slots=True)
class PackQuery:
    """A query file and its validated metadata."""

    pack: str
    id: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    returns: tuple[str, ...]
    attack: tuple[str, ...]
    limitations: str
    text: str
    step: int | None = None
    finding: str | None = None
    confidence: float | None = None
    requires: tuple[str, ...] = ()
    writes: bool = False

    @property
    def ref(self) -> str:
        return f"{self.pack}/{self.id}"

    @property
    def cypher(self) -> LiteralString:
        """The query text; it only ever comes from the shipped files."""
        text: LiteralString = self.text  # mypy reads LiteralString as str
        return text

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def parse_parameter(name: str, spec: str, where: str) -> Parameter:
    """``type, required|default <JSON>|threshold <t.k> -- description``."""
    head, sep, description = spec.partition(" -- ")
    if not sep or not description.strip():
        raise ConfigError(f"{where}: param {name} needs ' -- description'")
    kind, _, rest = (part.strip() for part in head.partition(","))
    if kind not in TYPES:
        raise ConfigError(f"{where}: param {name} has unknown type {kind!r}")
    word, _, value = rest.partition(" ")
    desc = description.strip()
    if word == "required" and not value:
        return Parameter(name, kind, desc, required=True)
    if word == "default":
        try:
            default = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{where}: param {name} default is not JSON") from exc
        return Parameter(name, kind, desc, default=_freeze(default))
    if word == "threshold" and re.fullmatch(r"[a-z_]+\.[a-z_]+", value):
        return Parameter(name, kind, desc, threshold=value)
    raise ConfigError(f"{where}: param {name} needs required, default or threshold")


def read_header(text: str, where: str) -> list[tuple[str, str | None, str]]:
    """The ``(key, name, value)`` entries of the leading comment block."""
    entries: list[tuple[str, str | None, str]] = []
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        if line.startswith("//   ") and entries:
            key, name, value = entries[-1]
            entries[-1] = (key, name, f"{value} {line[5:].strip()}")
            continue
        match = _LINE.match(line)
        if match is None or match["key"] not in KEYS:
            raise ConfigError(f"{where}: bad header line {line!r}")
        if (match["name"] is None) != (match["key"] != "param"):
            raise ConfigError(f"{where}: bad header line {line!r}")
        entries.append((match["key"], match["name"], match[3].strip()))
    return entries


def _names(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def parse_query(pack: str, qid: str, text: str) -> PackQuery:
    """Validate a query file's header and build its record."""
    where = f"{pack}/{qid}"
    fields: dict[str, str] = {}
    params: list[Parameter] = []
    for key, name, value in read_header(text, where):
        if key == "param" and name is not None:
            params.append(parse_parameter(name, value, where))
        elif key in fields:
            raise ConfigError(f"{where}: {key} given twice")
        else:
            fields[key] = value
    for key in ("title", "description", "returns", "limitations"):
        if not fields.get(key):
            raise ConfigError(f"{where}: missing {key}")
    return _build(pack, qid, text, fields, tuple(params))


def _build(
    pack: str,
    qid: str,
    text: str,
    fields: dict[str, str],
    params: tuple[Parameter, ...],
) -> PackQuery:
    where = f"{pack}/{qid}"
    attack = _names(fields.get("attack", ""))
    bad = [a for a in attack if not ATTACK_RE.match(a)]
    requires = _names(fields.get("requires", ""))
    returns = _names(fields["returns"])
    finding = fields.get("finding")
    if bad or not set(requires) <= REQUIRES:
        raise ConfigError(f"{where}: bad attack or requires: {bad or requires}")
    if finding and not set(returns) >= FINDING_COLUMNS:
        raise ConfigError(f"{where}: a finding rule returns {sorted(FINDING_COLUMNS)}")
    if len({p.name for p in params}) != len(params) or "case" in {
        p.name for p in params
    }:
        raise ConfigError(f"{where}: parameters repeat or redeclare case")
    step = fields.get("step")
    confidence = fields.get("confidence")
    return PackQuery(
        pack=pack,
        id=qid,
        title=fields["title"],
        description=fields["description"],
        parameters=params,
        returns=returns,
        attack=attack,
        limitations=fields["limitations"],
        text=text,
        step=int(step) if step else None,
        finding=finding,
        confidence=float(confidence) if confidence else None,
        requires=requires,
        writes=fields.get("writes", "false") == "true",
    )


@cache
def load_packs() -> tuple[PackQuery, ...]:
    """Every query of every pack, in pack order then file name."""
    root = resources.files(__package__)
    found: list[PackQuery] = []
    for pack in PACKS:
        folder = root.joinpath(pack)
        if not folder.is_dir():
            continue
        files = [f for f in folder.iterdir() if f.name.endswith(".cypher")]
        for f in sorted(files, key=lambda f: f.name):
            text = f.read_text(encoding="utf-8")
            found.append(parse_query(pack, f.name.removesuffix(".cypher"), text))
    return tuple(found)


def find_query(ref: str) -> PackQuery | None:
    """The query named ``PACK/ID``, or None."""
    if not REF.match(ref):
        return None
    return next((q for q in load_packs() if q.ref == ref), None)


def used_parameters(query: PackQuery) -> set[str]:
    """The ``$names`` in the query text outside comments."""
    body = "\n".join(
        line.split("//", 1)[0] if not line.lstrip().startswith("//") else ""
        for line in query.text.splitlines()
    )
    return set(PARAM_RE.findall(body))


def bind_parameters(
    query: PackQuery,
    given: Mapping[str, Any],
    thresholds: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    """Check the given values against the declaration and fill in defaults."""
    unknown = set(given) - {p.name for p in query.parameters} - {"case"}
    if unknown:
        raise QueryError(f"{query.ref} takes no parameter {sorted(unknown)[0]!r}")
    if "case" not in given:
        raise QueryError(f"{query.ref} needs --case")
    bound: dict[str, Any] = {"case": given["case"]}
    for p in query.parameters:
        if p.name in given:
            bound[p.name] = _coerce(query.ref, p, given[p.name])
        elif p.required:
            raise QueryError(f"{query.ref} needs -p {p.name}=… ({p.description})")
        elif p.threshold is not None:
            bound[p.name] = _coerce(query.ref, p, threshold(thresholds, p.threshold))
        else:
            bound[p.name] = (
                list(p.default) if isinstance(p.default, tuple) else p.default
            )
    return bound


def threshold(thresholds: Mapping[str, Mapping[str, Any]], dotted: str) -> Any:
    table, _, key = dotted.partition(".")
    try:
        return thresholds[table][key]
    except KeyError:
        raise ConfigError(f"no threshold {dotted} in the thresholds file") from None


def _coerce(ref: str, p: Parameter, value: Any) -> Any:
    """A CLI value (JSON or text) as the declared type; one-line error if not."""
    if p.type.startswith("list"):
        items = value if isinstance(value, list) else [value]
        inner = Parameter(p.name, p.type[5:-1], p.description)
        return [_coerce(ref, inner, v) for v in items]
    try:
        if p.type == "int" and not isinstance(value, bool):
            return int(value)
        if p.type == "float" and not isinstance(value, bool):
            return float(value)
    except (TypeError, ValueError):
        pass
    else:
        if p.type == "str":
            return value if value is None else str(value)
        if p.type == "bool" and isinstance(value, bool):
            return value
    raise QueryError(f"{ref}: {p.name} must be {p.type}, not {value!r}")


@cache
def write_statement(name: str) -> LiteralString:
    """The text of ``write/<name>.cypher``, a statement the packs' writers run."""
    text = resources.files(__package__).joinpath(f"write/{name}.cypher")
    body: LiteralString = text.read_text(encoding="utf-8")
    return body
