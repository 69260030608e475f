// title: Hosts by zone
// description: Every host of the case with the zone and zone kind its
//   address falls in (from the zones file, else private, loopback,
//   link-local and multicast ranges are internal and the rest internet).
// returns: host, zone, kind, packets, bytes
// requires: zones
// step: 9
// limitations: Zones come from addresses alone; a NAT or a VPN hides where a
//   host really is.
MATCH (h:Host {case: $case})
OPTIONAL MATCH (h)-[:IN_ZONE]->(z:Zone)
RETURN h.ip AS host, z.name AS zone, z.kind AS kind, h.packets AS packets,
       h.bytes AS bytes
ORDER BY kind, zone, host
