// title: Ports a source tried on each target
// description: Per target of the suspect, every server port it opened or
//   tried to open, split into those that answered and those that were
//   rejected or unanswered: what a scan learnt.
// param suspect: str, required -- the source's IP address
// returns: target, transport, ports, tried, answered_ports, failed_ports,
//   sessions, first_seen, last_seen
// step: 13
// limitations: TCP and UDP sessions only; an ICMP probe is not a port.
MATCH (:Host {case: $case, ip: $suspect})-[:OPENED]->(s:Session)-[:TO]->(t:Host)
WITH t, s ORDER BY s.dst_port
WITH t, s.transport AS transport, collect(s) AS ss
WITH t, transport, ss,
     reduce(p = [], s IN ss | CASE WHEN s.dst_port IN p THEN p
       ELSE p + s.dst_port END) AS ports,
     reduce(p = [], s IN ss | CASE WHEN s.state IN ['rejected', 'unanswered']
       OR s.dst_port IN p THEN p ELSE p + s.dst_port END) AS answered
RETURN t.ip AS target, transport, ports, size(ports) AS tried,
       answered AS answered_ports,
       [p IN ports WHERE NOT p IN answered] AS failed_ports,
       size(ss) AS sessions,
       reduce(m = null, s IN ss | CASE WHEN m IS NULL OR s.first_seen < m
         THEN s.first_seen ELSE m END) AS first_seen,
       reduce(m = null, s IN ss | CASE WHEN m IS NULL OR s.last_seen > m
         THEN s.last_seen ELSE m END) AS last_seen
ORDER BY tried DESC, target, transport
