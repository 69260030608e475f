// title: New hosts against a baseline
// description: Addresses the case's captures saw that the baseline case's
//   captures did not, with their MACs, volume, peers and when they appeared.
// param baseline: str, required -- the case of normal traffic
// returns: host, macs, packets, bytes, peers, first_seen, last_seen
// step: 15
// limitations: Addresses only: a known device that changed address is new,
//   a new device on a known address is not (compare correlation/same_mac).
//   Hosts made only by an alert import are left out of both cases.
MATCH (h:Host {case: $case})
WHERE EXISTS { (:Capture)-[:SAW {case: $case}]->(h) }
  AND NOT EXISTS {
    MATCH (b:Host {case: $baseline, ip: h.ip})
    WHERE EXISTS { (:Capture)-[:SAW {case: $baseline}]->(b) }
  }
OPTIONAL MATCH (h)-[:HAS_MAC]->(m:Mac)
WITH h, collect(DISTINCT m.address) AS macs
RETURN h.ip AS host, macs, h.packets AS packets, h.bytes AS bytes,
       COUNT { (h)-[:TALKS_TO]-(:Host) } AS peers,
       h.first_seen AS first_seen, h.last_seen AS last_seen
ORDER BY first_seen, host
