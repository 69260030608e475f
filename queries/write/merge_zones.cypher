// One Zone per zone name and case; each host placed in the zone its address
// falls in (computed in Python from the CIDRs).
UNWIND $rows AS row
MERGE (z:Zone {key: row.zone_key})
  ON CREATE SET z.case = $case, z.name = row.zone
SET z.kind = row.kind, z.cidrs = row.cidrs
WITH z, row
MATCH (h:Host {key: row.host_key})
MERGE (h)-[r:IN_ZONE]->(z)
SET r.case = $case
