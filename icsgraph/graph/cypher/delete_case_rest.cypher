// After the case-scoped nodes: the case's links to shared nodes, the Case
// itself, and the shared nodes no other case refers to.
OPTIONAL MATCH (:Capture)-[r:SAW {case: $case}]->()
DELETE r
WITH count(*) AS ignored
OPTIONAL MATCH (k:Case {id: $case})-[:HAS_CAPTURE]->(c:Capture)
DETACH DELETE k
WITH collect(DISTINCT c) AS captures
UNWIND captures AS c
WITH c WHERE NOT (c)<-[:HAS_CAPTURE]-(:Case)
DETACH DELETE c
WITH count(*) AS ignored
OPTIONAL MATCH (m:Mac) WHERE NOT (m)--()
DELETE m
RETURN count(m) AS deleted
