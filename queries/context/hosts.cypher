// title: The case's hosts
// description: Every address of the case with its MACs and vendors, volume,
//   number of peers and when it was seen, the busiest first.
// returns: host, macs, vendors, packets, bytes, peers, first_seen, last_seen
// step: 1
// limitations: Devices seen only at layer 2 (ARP, LLDP, DCP, GOOSE) have no
//   Host; context/layer2_devices lists them.
MATCH (h:Host {case: $case})
OPTIONAL MATCH (h)-[:HAS_MAC]->(m:Mac)
WITH h, collect(DISTINCT m.address) AS macs, collect(DISTINCT m.vendor) AS vendors
OPTIONAL MATCH (h)-[:TALKS_TO]-(p:Host)
RETURN h.ip AS host, macs, vendors, h.packets AS packets, h.bytes AS bytes,
       count(DISTINCT p) AS peers, h.first_seen AS first_seen,
       h.last_seen AS last_seen
ORDER BY bytes DESC, host
