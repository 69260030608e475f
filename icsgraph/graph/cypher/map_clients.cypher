// What each client's sessions say about its role: how many distinct targets
// (server, transport, port) it tried, how many attempts failed, and how many
// of its sessions a server answered on an ICS service.
MATCH (s:Session {case: $case})
MATCH (a:Host)-[:OPENED]->(s)
WHERE $keys IS NULL OR a.key IN $keys
OPTIONAL MATCH (s)-[:USES]->(v:Service)
WITH a, s, v IS NOT NULL
  AND (v.protocol IN $ics_protocols OR v.port IN $ics_ports) AS ics
RETURN a.key AS key, count(s) AS opened,
  count(DISTINCT [s.dst_ip, s.transport, s.dst_port]) AS targets,
  count(DISTINCT s.dst_ip) AS peers,
  sum(CASE WHEN s.state IN ['rejected', 'unanswered'] THEN 1 ELSE 0 END)
    AS failed,
  sum(CASE WHEN ics THEN 1 ELSE 0 END) AS ics_sessions
