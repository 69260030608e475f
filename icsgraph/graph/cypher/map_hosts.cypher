// The hosts of a case (all, or those in $keys) with what decides their look:
// properties (identity set by the artifact stage), MACs, zones, services.
// A service has `data` when a session on it carried application data (TCP
// established or closed, UDP answered), not just a handshake.
MATCH (h:Host {case: $case})
WHERE $keys IS NULL OR h.key IN $keys
RETURN h.key AS key, h.ip AS ip, properties(h) AS props,
  [(h)-[:HAS_MAC]->(m:Mac) |
    {address: m.address, vendor: m.vendor, names: m.names}] AS macs,
  [(h)-[:IN_ZONE]->(z:Zone) | properties(z)] AS zones,
  [(h)-[:OFFERS]->(v:Service) |
    {transport: v.transport, port: v.port, protocol: v.protocol,
     source: v.protocol_source,
     data: EXISTS { MATCH (v)<-[:USES]-(s:Session)
       WHERE s.state IN ['established', 'closed'] OR s.transport = 'udp' }}
  ] AS services
ORDER BY key
