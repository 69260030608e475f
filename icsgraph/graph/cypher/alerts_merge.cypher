// Alerts with the hosts they name. A host the capture did not see is made
// here with seen_in_capture = false; one the capture saw is left as it is.
// Relationships are replaced, so importing the same file again changes nothing.
MERGE (k:Case {id: $case})
  ON CREATE SET k.created = datetime()
WITH k
UNWIND $rows AS row
MERGE (a:Alert {key: row.props.key})
SET a += row.props
WITH a, row
OPTIONAL MATCH (a)-[old:SOURCE|DESTINATION]->(:Host)
DELETE old
WITH DISTINCT a, row
CALL (a, row) {
  UNWIND row.ends AS e
  MERGE (h:Host {key: e.key})
    ON CREATE SET h.case = $case, h.ip = e.ip, h.seen_in_capture = false
  WITH a, h, e
  CALL (a, h, e) {
    WITH a, h, e WHERE e.role = 'source'
    MERGE (a)-[r:SOURCE]->(h)
    SET r.case = $case
  }
  CALL (a, h, e) {
    WITH a, h, e WHERE e.role = 'destination'
    MERGE (a)-[r:DESTINATION]->(h)
    SET r.case = $case
  }
}
RETURN count(a) AS alerts
