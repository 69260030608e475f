// title: Who commands each device
// description: Per device and protocol, the hosts that sent it ICS commands,
//   the function codes they used and how many of each kind; the basis of a
//   baseline of known masters.
// param suspect: str, default null -- only this device or master
// returns: device, protocol, master, commands, function_codes, command_kinds,
//   first_seen, last_seen
// step: 12
// limitations: Only protocols with a parser in ingest/ics.
MATCH (c:Host {case: $case})-[:OPENED]->(s:Session)-[:TO]->(v:Host),
      (s)-[:YIELDED]->(a:Artifact {kind: 'ics_command'})
WHERE $suspect IS NULL OR $suspect IN [c.ip, v.ip]
RETURN v.ip AS device, a.protocol AS protocol, c.ip AS master,
       count(a) AS commands,
       collect(DISTINCT a.function_code) AS function_codes,
       collect(DISTINCT a.command_kind) AS command_kinds,
       min(a.first_seen) AS first_seen, max(a.first_seen) AS last_seen
ORDER BY device, protocol, commands DESC
