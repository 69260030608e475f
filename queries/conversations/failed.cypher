// title: Unanswered and rejected connections
// description: Sessions that never got an answer or were refused with a
//   reset, per client, server and port, optionally for one host only.
// param suspect: str, default null -- only sessions with this address
// param limit: int, default 1000 -- at most this many rows
// returns: client, server, transport, port, state, attempts, first_seen,
//   last_seen, sessions
// step: 6
// limitations: UDP has no handshake: a UDP conversation with no reply is
//   unanswered, an ICMP port-unreachable is not tied to it.
MATCH (c:Host {case: $case})-[:OPENED]->(s:Session)-[:TO]->(v:Host)
WHERE s.state IN ['unanswered', 'rejected']
  AND ($suspect IS NULL OR $suspect IN [c.ip, v.ip])
WITH c, v, s ORDER BY s.first_seen
RETURN c.ip AS client, v.ip AS server, s.transport AS transport,
       s.dst_port AS port, s.state AS state, count(s) AS attempts,
       min(s.first_seen) AS first_seen, max(s.last_seen) AS last_seen,
       collect(s.key)[..10] AS sessions
ORDER BY attempts DESC, first_seen, client, server, port
LIMIT $limit
