// Per-capture sightings of addresses; the Host totals are recomputed from all
// sightings afterwards, so re-running a capture cannot double them.
UNWIND $rows AS row
MATCH (c:Capture {sha256: row.evidence.capture})
MERGE (h:Host {key: row.key})
  ON CREATE SET h.case = row.case, h.ip = row.ip
MERGE (c)-[r:SAW {case: row.case, kind: 'host'}]->(h)
SET r += row.evidence, r.packets = row.packets, r.bytes = row.bytes
