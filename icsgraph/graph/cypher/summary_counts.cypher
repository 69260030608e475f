// How much of the case is in the graph.
MATCH (k:Case {id: $case})
OPTIONAL MATCH (k)-[:HAS_CAPTURE]->(c:Capture)
WITH k, count(c) AS captures, sum(c.packets) AS packets
OPTIONAL MATCH (h:Host {case: $case})
WHERE h.packets IS NOT NULL  // seen in a capture, not only named by an alert
WITH captures, packets, count(h) AS hosts
OPTIONAL MATCH (s:Session {case: $case})
WITH captures, packets, hosts, count(s) AS sessions
OPTIONAL MATCH (a:Artifact {case: $case})
WITH captures, packets, hosts, sessions, count(a) AS artifacts
OPTIONAL MATCH (:Case {id: $case})-[:HAS_CAPTURE]->(:Capture)
  -[:SAW {case: $case, kind: 'mac', layer2_only: true}]->(m:Mac)
RETURN captures, packets, hosts, sessions, artifacts,
       count(DISTINCT m) AS layer2_only_devices
