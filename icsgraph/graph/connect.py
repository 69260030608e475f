"""Opening the Neo4j driver, with one-line errors a person can act on."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from icsgraph.errors import DatabaseUnavailable
from icsgraph.settings import Neo4jSettings

if TYPE_CHECKING:
    from neo4j import Driver

log = logging.getLogger(__name__)

START_HINT = "run `icsgraph db start`, or set ICSGRAPH_NEO4J_URI to your server"


def _unavailable(settings: Neo4jSettings, exc: Exception) -> DatabaseUnavailable:
    from neo4j.exceptions import AuthError

    if isinstance(exc, AuthError):
        return DatabaseUnavailable(
            f"Neo4j at {settings.uri} refused user {settings.user!r} "
            f"(credentials from {settings.source}); check ICSGRAPH_NEO4J_USER "
            "and ICSGRAPH_NEO4J_PASSWORD"
        )
    return DatabaseUnavailable(
        f"Neo4j is not reachable at {settings.uri} ({type(exc).__name__}); {START_HINT}"
    )


def open_driver(settings: Neo4jSettings) -> Driver:
    """A driver whose connectivity and credentials have been checked."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, DriverError, Neo4jError

    driver = GraphDatabase.driver(
        settings.uri,
        auth=(settings.user, settings.password),
        connection_timeout=5.0,
        notifications_min_severity="OFF",
    )
    try:
        driver.verify_connectivity()
    except (AuthError, DriverError, Neo4jError, OSError) as exc:
        driver.close()
        raise _unavailable(settings, exc) from exc
    log.debug("connected to %s as %s", settings.uri, settings.user)
    return driver


@contextmanager
def connected(settings: Neo4jSettings) -> Iterator[Driver]:
    driver = open_driver(settings)
    try:
        yield driver
    finally:
        driver.close()
