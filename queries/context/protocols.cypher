// title: Protocols of a host as client and as server
// description: What the host spoke, split by role: per transport, server port
//   and protocol, how many sessions, peers, bytes and failed attempts.
// param suspect: str, required -- the host's IP address
// returns: role, transport, port, protocol, named_by, sessions, peers, bytes,
//   failed
// step: 3
// limitations: A protocol named by port only (named_by = port) is a guess.
MATCH (h:Host {case: $case, ip: $suspect})-[r:OPENED|TO]-(s:Session)
WITH s, CASE type(r) WHEN 'OPENED' THEN 'client' ELSE 'server' END AS role
WITH s, role, CASE role WHEN 'client' THEN s.dst_ip ELSE s.src_ip END AS peer
RETURN role, s.transport AS transport, s.dst_port AS port,
       s.protocol AS protocol, s.protocol_source AS named_by,
       count(s) AS sessions, count(DISTINCT peer) AS peers,
       sum(s.bytes) AS bytes,
       sum(CASE WHEN s.state IN ['rejected', 'unanswered'] THEN 1 ELSE 0 END)
         AS failed
ORDER BY role, sessions DESC, port
