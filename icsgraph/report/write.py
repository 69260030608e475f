"""Writing an investigation: report.md, report.html, report.json, map, flows.

The HTML page follows the device map's rule (see :mod:`icsgraph.viz.page`):
the answers go in as inert JSON and the page's script shows them with
``textContent``; the template's few values are autoescaped. Markdown cells
escape what a Markdown renderer would read as markup or HTML.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from icsgraph.report.collect import Answer, Investigation, StepResult
from icsgraph.viz.page import json_for_script

MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>#])")
MAX_CELL = 400  # characters of a Markdown cell
MAX_MD_ROWS = 200  # rows of one answer in Markdown; report.json has them all


def safe_name(address: str) -> str:
    """An address as part of a file name."""
    return re.sub(r"[^0-9A-Za-z.]", "_", address)


def report_data(inv: Investigation, files: dict[str, Any]) -> dict[str, Any]:
    """Everything the report shows, as JSON-ready values."""
    return {
        "case": inv.case,
        "suspects": list(inv.suspects),
        "suspects_from": inv.suspects_from,
        "alert": inv.alert,
        "findings": inv.findings,
        "secrets_shown": inv.secrets_shown,
        "notes": inv.notes,
        "files": files,
        "steps": [asdict(s) for s in inv.steps],
    }


def plain_text(value: Any) -> str:
    """A value as a person reads it: lists joined, maps as ``name: value``."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(plain_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {plain_text(v)}" for k, v in value.items())
    return str(value)


def md_cell(value: Any) -> str:
    """A value as one Markdown table cell: one line, markup escaped."""
    text = plain_text(value)
    if len(text) > MAX_CELL:
        text = text[:MAX_CELL] + "..."
    text = text.replace("&", "&amp;").replace("\r", "").replace("\n", " / ")
    return MD_SPECIAL.sub(r"\\\1", text)


def md_table(keys: list[str], rows: list[dict[str, Any]]) -> list[str]:
    lines = ["| " + " | ".join(md_cell(k) for k in keys) + " |"]
    lines.append("|" + "---|" * len(keys))
    for row in rows[:MAX_MD_ROWS]:
        lines.append("| " + " | ".join(md_cell(row[k]) for k in keys) + " |")
    if len(rows) > MAX_MD_ROWS:
        lines.append(f"\n{len(rows) - MAX_MD_ROWS} more rows in report.json.")
    return lines


def md_answer(answer: Answer) -> list[str]:
    lines = [f"### {answer.ref}: {md_cell(answer.title)}", ""]
    lines += ["```sh", answer.rerun, "```", "", "```cypher", answer.cypher.strip()]
    lines += ["```", ""]
    lines += md_table(answer.keys, answer.rows) if answer.rows else ["_No rows._"]
    if answer.evidence:
        lines += ["", f"Evidence ({len(answer.evidence)} sessions):", "", "```sh"]
        lines += [
            f"{e.follow}  # frames {e.frames}" if e.frames else e.follow
            for e in answer.evidence
        ]
        lines.append("```")
    return [*lines, ""]


def md_step(step: StepResult) -> list[str]:
    lines = [f"## {step.number}. {step.title}", "", f"_{step.question}_", ""]
    for answer in step.answers:
        lines += md_answer(answer)
    if not step.answers:
        lines += ["_Nothing to run._", ""]
    return lines


def markdown(inv: Investigation, files: dict[str, Any]) -> str:
    """The whole report as Markdown."""
    suspects = ", ".join(md_cell(s) for s in inv.suspects)
    lines = [
        f"# Investigation of case {md_cell(inv.case)}",
        "",
        f"Suspects: {suspects} ({inv.suspects_from}). "
        f"Findings recorded: {inv.findings}. "
        f"Secrets {'shown in clear' if inv.secrets_shown else 'masked'}.",
        "",
    ]
    if files.get("map"):
        lines.append(f"Device map: [{files['map']}]({files['map']})")
    for flow in files.get("flows", []):
        lines.append(f"Flow graph of {flow['host']}: [{flow['file']}]({flow['file']})")
    lines += [f"Note: {md_cell(n)}" for n in inv.notes]
    lines.append("")
    for step in inv.steps:
        lines += md_step(step)
    return "\n".join(lines)


def _template_text(name: str) -> str:
    return (resources.files("icsgraph.report") / "templates" / name).read_text("utf-8")


@cache
def _environment() -> jinja2.Environment:
    loader = jinja2.PackageLoader("icsgraph.report", "templates")
    return jinja2.Environment(
        loader=loader, autoescape=True, undefined=jinja2.StrictUndefined
    )


def html(inv: Investigation, files: dict[str, Any]) -> str:
    """The self-contained HTML page of the report."""
    template = _environment().get_template("report.html.j2")
    return template.render(
        title=f"icsgraph investigation: {inv.case}",
        data=json_for_script(report_data(inv, files)),
        page_js=_template_text("report.js"),
        page_css=_template_text("report.css"),
        map_file=files.get("map"),
        flow_files=files.get("flows", []),
    )


def write_report(inv: Investigation, out: Path, files: dict[str, Any]) -> list[Path]:
    """Write report.md, report.html and report.json into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = {
        out / "report.md": markdown(inv, files),
        out / "report.html": html(inv, files),
        out / "report.json": json.dumps(
            report_data(inv, files), indent=2, default=str, ensure_ascii=False
        ),
    }
    for path, text in written.items():
        path.write_text(text + "\n", encoding="utf-8")
    return list(written)
