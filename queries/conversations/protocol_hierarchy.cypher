// title: Protocol hierarchy
// description: Sessions, packets and bytes per transport and application
//   protocol, for the whole case or one host, with each protocol's share of
//   the bytes and how it was named (payload or port).
// param suspect: str, default null -- only sessions with this address
// returns: transport, protocol, named_by, sessions, packets, bytes,
//   byte_share
// step: 3
// limitations: One level deep (transport, then application); link-layer and
//   non-IP protocols are on Mac nodes (context/layer2_devices).
MATCH (c:Host {case: $case})-[:OPENED]->(s:Session)-[:TO]->(v:Host)
WHERE $suspect IS NULL OR $suspect IN [c.ip, v.ip]
WITH collect(s) AS ss
WITH ss, reduce(n = 0, s IN ss | n + s.bytes) AS total
UNWIND ss AS s
WITH total, s.transport AS transport, s.protocol AS protocol,
     s.protocol_source AS named_by, count(s) AS sessions,
     sum(s.packets) AS packets, sum(s.bytes) AS bytes
RETURN transport, protocol, named_by, sessions, packets, bytes,
       CASE total WHEN 0 THEN 0.0 ELSE round(1.0 * bytes / total, 4) END
         AS byte_share
ORDER BY bytes DESC, transport, protocol
