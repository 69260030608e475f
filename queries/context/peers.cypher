// title: Peers of a host
// description: Every host the suspect talked to, in which direction, with the
//   sessions, failed attempts, volume and protocols of each pair.
// param suspect: str, required -- the host's IP address
// returns: peer, direction, sessions, failed, packets, bytes, protocols,
//   first_seen, last_seen
// step: 2
// limitations: Built from TCP and UDP sessions; ICMP and layer 2 do not make
//   a peer.
MATCH (h:Host {case: $case, ip: $suspect})-[t:TALKS_TO]-(p:Host)
RETURN p.ip AS peer,
       CASE WHEN startNode(t) = h THEN 'out' ELSE 'in' END AS direction,
       t.sessions AS sessions, t.failed AS failed, t.packets AS packets,
       t.bytes AS bytes, t.protocols AS protocols, t.first_seen AS first_seen,
       t.last_seen AS last_seen
ORDER BY bytes DESC, peer
