"""Capture ingestion: read → decode → track → extract → load.

Installed as ``icsgraph.ingest``. Nothing here imports the Neo4j driver; the
graph writer lives in ``icsgraph.graph`` and never imports scapy.
"""
