// Sessions grouped by client, server, protocol and outcome: the map's edges.
// established and closed sessions count as answered; ports and session keys
// are samples capped by $max_ports and $max_keys, in order of first packet.
MATCH (s:Session {case: $case})
WHERE $protocols IS NULL OR s.protocol IN $protocols
MATCH (a:Host)-[:OPENED]->(s)-[:TO]->(b:Host)
WHERE $keys IS NULL OR (a.key IN $keys AND b.key IN $keys)
WITH a.key AS src, b.key AS dst, s.protocol AS protocol,
  CASE WHEN s.state IN ['rejected', 'unanswered'] THEN s.state
    ELSE 'answered' END AS outcome, s
ORDER BY s.first_seen, s.key
RETURN src, dst, protocol, outcome, count(s) AS sessions,
  sum(s.packets) AS packets, sum(s.bytes) AS bytes,
  collect(DISTINCT s.dst_port)[..$max_ports] AS ports,
  collect(s.key)[..$max_keys] AS keys
ORDER BY src, dst, protocol, outcome
