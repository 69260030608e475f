// title: Sessions with the internet or a DMZ
// description: Every session with one end in an internet or DMZ zone, inbound
//   (opened from outside) or outbound, optionally for one host.
// param suspect: str, default null -- only sessions with this address
// param outside_kinds: list[str], default ["internet", "dmz"] -- zone kinds
//   that count as outside
// returns: direction, client, client_zone, server, server_zone, transport,
//   port, protocol, state, bytes_out, bytes_in, first_seen, session
// requires: zones
// step: 9
// limitations: Zones come from addresses alone; a NAT or a VPN hides where a
//   host really is.
MATCH (cz:Zone)<-[:IN_ZONE]-(c:Host {case: $case})-[:OPENED]->(s:Session)
      -[:TO]->(v:Host)-[:IN_ZONE]->(vz:Zone)
WHERE (cz.kind IN $outside_kinds OR vz.kind IN $outside_kinds)
  AND ($suspect IS NULL OR $suspect IN [c.ip, v.ip])
RETURN CASE WHEN cz.kind IN $outside_kinds THEN 'inbound' ELSE 'outbound' END
         AS direction,
       c.ip AS client, cz.name AS client_zone, v.ip AS server,
       vz.name AS server_zone, s.transport AS transport, s.dst_port AS port,
       s.protocol AS protocol, s.state AS state, s.bytes_out AS bytes_out,
       s.bytes_in AS bytes_in, s.first_seen AS first_seen, s.key AS session
ORDER BY first_seen, session
