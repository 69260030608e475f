// Findings with the hosts they involve (the first is the actor, also when
// it is a target too, as in a scan of itself), their evidence (sessions and
// artifacts by key) and the techniques they map to.
UNWIND $rows AS row
MERGE (f:Finding {key: row.key})
SET f += row.props
WITH f, row
CALL (f, row) {
  UNWIND range(0, size(row.hosts) - 1) AS i
  MATCH (h:Host {key: row.hosts[i]})
  MERGE (f)-[r:INVOLVES]->(h)
  SET r.case = row.props.case,
      r.role = CASE WHEN i = 0 OR r.role = 'actor' THEN 'actor'
               ELSE 'target' END
}
CALL (f, row) {
  UNWIND row.evidence AS key
  OPTIONAL MATCH (s:Session {key: key})
  OPTIONAL MATCH (a:Artifact {key: key})
  WITH coalesce(s, a) AS n
  WHERE n IS NOT NULL
  MERGE (f)-[r:EVIDENCED_BY]->(n)
  SET r.case = row.props.case
}
CALL (f, row) {
  UNWIND row.techniques AS id
  MERGE (t:Technique {id: id})
  MERGE (f)-[r:MAPS_TO]->(t)
  SET r.case = row.props.case
}
RETURN count(f) AS findings
