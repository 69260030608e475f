// Artifacts of layer-2 frames (PROFINET DCP): about a MAC, not a session.
UNWIND $rows AS row
MATCH (c:Capture {sha256: row.capture})
MERGE (a:Artifact {key: row.key})
SET a = row.props
MERGE (c)-[y:YIELDED {case: row.case}]->(a)
  ON CREATE SET y += row.evidence
MERGE (m:Mac {address: row.mac})
MERGE (a)-[b:ABOUT]->(m)
  ON CREATE SET b += row.evidence
RETURN count(a) AS written
