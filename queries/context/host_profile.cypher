// title: Host profile
// description: One host at a glance: its MACs, vendors and the names its
//   MACs announced, its identity (the best claim of each field), its volume
//   and time span, the services it offers, the protocols it uses as a
//   client, its number of peers and of alerts.
// param suspect: str, required -- the host's IP address
// returns: host, macs, vendors, names, vendor, model, firmware, serial,
//   product_name, packets, bytes, first_seen, last_seen, serves, uses, peers,
//   alerts
// step: 1
// limitations: Only the best claim of each identity field is here; every
//   claim, with its source and frames, is in context/artifacts.
MATCH (h:Host {case: $case, ip: $suspect})
OPTIONAL MATCH (h)-[:HAS_MAC]->(m:Mac)
WITH h, collect(DISTINCT m.address) AS macs,
     [v IN collect(DISTINCT m.vendor) WHERE v IS NOT NULL] AS vendors,
     reduce(ns = [], n IN collect(m.names) | ns + n) AS names
OPTIONAL MATCH (h)-[:OFFERS]->(svc:Service)
WITH h, macs, vendors, names,
     collect(DISTINCT svc.transport + '/' + toString(svc.port) + ' '
       + coalesce(svc.protocol, '?')) AS serves
OPTIONAL MATCH (h)-[:OPENED]->(out:Session)
WITH h, macs, vendors, names, serves,
     collect(DISTINCT coalesce(out.protocol, out.transport + '/'
       + toString(out.dst_port))) AS uses
OPTIONAL MATCH (h)-[:TALKS_TO]-(p:Host)
WITH h, macs, vendors, names, serves, uses, count(DISTINCT p) AS peers
OPTIONAL MATCH (alert:Alert)-[:SOURCE|DESTINATION]->(h)
RETURN h.ip AS host, macs, vendors, names, h.vendor AS vendor,
       h.model AS model, h.firmware AS firmware, h.serial AS serial,
       h.product_name AS product_name, h.packets AS packets,
       h.bytes AS bytes, h.first_seen AS first_seen, h.last_seen AS last_seen,
       serves, uses, peers, count(DISTINCT alert) AS alerts
