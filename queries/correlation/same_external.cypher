// title: The same external address in other cases
// description: Addresses in an internet or DMZ zone of this case that other
//   cases also saw, with the hosts of this case that talked to them.
// param other: str, default null -- only this other case
// param outside_kinds: list[str], default ["internet", "dmz"] -- zone kinds
//   that count as external
// returns: address, zone, other_case, talked_to_here, sessions_there
// requires: zones
// step: 15
// limitations: The other case's zones are not consulted: an address is
//   external if this case's zones say so.
MATCH (h:Host {case: $case})-[:IN_ZONE]->(z:Zone)
WHERE z.kind IN $outside_kinds
MATCH (o:Host {ip: h.ip})
WHERE o.case <> $case AND ($other IS NULL OR o.case = $other)
RETURN h.ip AS address, z.name AS zone, o.case AS other_case,
       [(h)-[:TALKS_TO]-(p:Host) | p.ip] AS talked_to_here,
       COUNT { (o)-[:OPENED|TO]-(:Session) } AS sessions_there
ORDER BY other_case, address
