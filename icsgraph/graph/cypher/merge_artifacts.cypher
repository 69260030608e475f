// Artifacts of sessions already written. A row whose session is missing is
// not written; the count returned lets the writer report it.
UNWIND $rows AS row
MATCH (s:Session {key: row.session_key})
MERGE (a:Artifact {key: row.key})
SET a = row.props
MERGE (s)-[y:YIELDED]->(a)
  ON CREATE SET y += row.evidence
WITH s, a, row
CALL {
  WITH s, a, row
  OPTIONAL MATCH (client:Host)-[:OPENED]->(s)
  OPTIONAL MATCH (s)-[:TO]->(server:Host)
  OPTIONAL MATCH (named:Host {key: row.about_key})
  WITH a, row, CASE
      WHEN row.about_mac IS NOT NULL THEN null
      WHEN row.about_key IS NOT NULL THEN named
      WHEN row.about = 'client' THEN client
      ELSE server END AS h
  FOREACH (x IN CASE WHEN h IS NULL THEN [] ELSE [h] END |
    MERGE (a)-[b:ABOUT]->(x)
      ON CREATE SET b += row.evidence)
  FOREACH (mac IN CASE WHEN row.about_mac IS NULL THEN [] ELSE [row.about_mac] END |
    MERGE (m:Mac {address: mac})
    MERGE (a)-[b:ABOUT]->(m)
      ON CREATE SET b += row.evidence)
}
RETURN count(a) AS written
