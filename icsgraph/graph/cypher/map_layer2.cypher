// MACs the case saw only at layer 2 (no address of the case is tied to them).
MATCH (:Case {id: $case})-[:HAS_CAPTURE]->(:Capture)
  -[:SAW {case: $case, kind: 'mac', layer2_only: true}]->(m:Mac)
WHERE NOT EXISTS { MATCH (:Host {case: $case})-[:HAS_MAC]->(m) }
WITH DISTINCT m
RETURN m.address AS address, m.vendor AS vendor,
  coalesce(m.names, []) AS names, coalesce(m.protocols, []) AS protocols
ORDER BY address
