// title: Sessions between zones
// description: Sessions grouped by the zone of the client and of the server,
//   and by protocol, with failed attempts and volume; within-zone traffic is
//   left out unless asked for.
// param include_same: bool, default false -- also list sessions inside a zone
// returns: client_zone, client_kind, server_zone, server_kind, transport, port,
//   protocol, sessions, failed, bytes, clients, servers
// requires: zones
// step: 9
// limitations: Zones come from addresses alone; a NAT or a VPN hides where a
//   host really is.
MATCH (cz:Zone)<-[:IN_ZONE]-(c:Host {case: $case})-[:OPENED]->(s:Session)
      -[:TO]->(v:Host)-[:IN_ZONE]->(vz:Zone)
WHERE $include_same OR cz <> vz
RETURN cz.name AS client_zone, cz.kind AS client_kind, vz.name AS server_zone,
       vz.kind AS server_kind, s.transport AS transport, s.dst_port AS port,
       s.protocol AS protocol, count(s) AS sessions,
       sum(CASE WHEN s.state IN ['rejected', 'unanswered'] THEN 1 ELSE 0 END)
         AS failed,
       sum(s.bytes) AS bytes, count(DISTINCT c.ip) AS clients,
       count(DISTINCT v.ip) AS servers
ORDER BY sessions DESC, client_zone, server_zone, port
