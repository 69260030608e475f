// title: Alerts of a host or of the case
// description: The sensor alerts imported with `icsgraph alerts import`, for
//   the whole case or those naming one host as source or destination, with
//   the host's role in each, the addresses and whether the capture saw them.
// param suspect: str, default null -- only alerts naming this address
// param alert: str, default null -- only the alert with this id
// returns: alert, title, severity, time, role, source, destination,
//   protocol, description, source_seen, destination_seen, first_seen
// step: 1
// limitations: Only what the export holds: a sensor's alert is tied to its
//   hosts by address, not to the sessions that raised it.
MATCH (a:Alert {case: $case})
OPTIONAL MATCH (a)-[:SOURCE]->(src:Host)
OPTIONAL MATCH (a)-[:DESTINATION]->(dst:Host)
WITH a, src, dst
WHERE ($suspect IS NULL OR $suspect IN [src.ip, dst.ip])
  AND ($alert IS NULL OR a.id = $alert)
RETURN a.id AS alert, a.title AS title, a.severity AS severity,
       a.time AS time,
       CASE WHEN $suspect IS NULL THEN null
         WHEN src.ip = $suspect THEN 'source' ELSE 'destination' END AS role,
       src.ip AS source, dst.ip AS destination, a.protocol AS protocol,
       a.description AS description,
       EXISTS { (:Capture)-[:SAW {case: $case}]->(src) } AS source_seen,
       EXISTS { (:Capture)-[:SAW {case: $case}]->(dst) } AS destination_seen,
       a.first_seen AS first_seen
ORDER BY first_seen, alert, title
