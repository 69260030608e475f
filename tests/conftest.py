"""Fixtures shared by the suite: the shared captures and the real Neo4j.

Integration tests talk to the Neo4j that `make test` starts (or the one the
ICSGRAPH_NEO4J_* variables name). When it cannot be reached the tests fail,
they are not skipped: set ICSGRAPH_TEST_SKIP_DB=1 to skip them on purpose.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from neo4j import Driver

    from icsgraph.settings import Neo4jSettings

REPO = Path(__file__).resolve().parents[1]
PCAPS = REPO.parent / "shared" / "pcaps"
DATA = REPO / "tests" / "data"


def shared_captures() -> list[Path]:
    """Every capture in ../shared/pcaps (the tables and README excluded)."""
    return sorted(
        p for p in PCAPS.iterdir() if p.is_file() and p.suffix not in {".tsv", ".md"}
    )


@pytest.fixture(scope="session")
def pcaps() -> Path:
    if not PCAPS.is_dir():
        pytest.fail(f"the shared captures are missing: {PCAPS}")
    return PCAPS


@pytest.fixture(scope="session")
def neo4j_settings() -> Neo4jSettings:
    from icsgraph.settings import load_neo4j_settings

    return load_neo4j_settings()


@pytest.fixture(scope="session")
def driver(neo4j_settings: Neo4jSettings) -> Iterator[Driver]:
    from icsgraph.errors import DatabaseUnavailable
    from icsgraph.graph.connect import open_driver
    from icsgraph.graph.writer import create_schema

    try:
        drv = open_driver(neo4j_settings)
    except DatabaseUnavailable as exc:
        if os.environ.get("ICSGRAPH_TEST_SKIP_DB") == "1":
            pytest.skip(str(exc))
        pytest.fail(f"integration tests need Neo4j: {exc}")
    create_schema(drv, neo4j_settings.database)
    yield drv
    drv.close()


@pytest.fixture
def case(
    request: pytest.FixtureRequest, driver: Driver, neo4j_settings: Neo4jSettings
) -> str:
    """A case name of this test's own, emptied before the test runs."""
    from icsgraph.graph.cases import delete_case

    name = "test-" + re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)[:80]
    delete_case(driver, neo4j_settings.database, name)
    return name
