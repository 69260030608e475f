// Which MAC an address used, from Ethernet sources and ARP claims.
UNWIND $rows AS row
MATCH (h:Host {key: row.host_key})
MERGE (m:Mac {address: row.mac})
  ON CREATE SET m.vendor = row.vendor, m.capture = row.evidence.capture,
    m.first_frame = row.evidence.first_frame,
    m.first_seen = row.evidence.first_seen
MERGE (h)-[r:HAS_MAC]->(m)
  ON CREATE SET r += row.evidence
SET r.source = row.source
