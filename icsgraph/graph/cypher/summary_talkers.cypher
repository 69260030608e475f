// The hosts that sent and received the most, with their peers.
MATCH (h:Host {case: $case})
WHERE h.packets IS NOT NULL  // hosts known only from an alert sent nothing
OPTIONAL MATCH (h)-[t:TALKS_TO]-(peer:Host)
RETURN h.ip AS host, h.packets AS packets, h.bytes AS bytes,
       count(DISTINCT peer) AS peers,
       sum(CASE WHEN startNode(t) = h THEN t.sessions ELSE 0 END) AS opened
ORDER BY bytes DESC, host
LIMIT $top
