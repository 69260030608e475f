// title: Host profile
// description: One host at a glance: its MACs, vendors and the names its
//   MACs announced, its volume and time span, the services it offers, the
//   protocols it uses as a client, and its number of peers.
// param suspect: str, required -- the host's IP address
// returns: host, macs, vendors, names, packets, bytes, first_seen, last_seen,
//   serves, uses, peers
// step: 1
// limitations: Identity from banners and ICS identification is in
//   context/artifacts; alerts are not in the graph until alert import lands.
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
RETURN h.ip AS host, macs, vendors, names, h.packets AS packets,
       h.bytes AS bytes, h.first_seen AS first_seen, h.last_seen AS last_seen,
       serves, uses, count(DISTINCT p) AS peers
