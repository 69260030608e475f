"""icsgraph: OT/ICS packet captures as a Neo4j graph for alert investigation."""

__version__ = "0.1.0"
