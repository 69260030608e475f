// title: New talkers to controllers against a baseline
// description: Clients that opened sessions to a host offering an ICS service
//   (an ICS server port or protocol that answered) where the baseline case
//   has no sessions from that client to that address.
// param baseline: str, required -- the case of normal traffic
// param ics_ports: list[int], default [502, 102, 44818, 2222, 20000, 2404,
//   47808, 4840, 34962, 34964] -- server ports of ICS services
// param ics_protocols: list[str], default ["modbus", "s7comm", "s7comm-plus",
//   "enip", "cip", "dnp3", "iec104", "bacnet", "opcua", "profinet", "pn_io",
//   "melsec", "omron-fins", "ge-srtp", "fox", "mms", "hart-ip"] -- ICS
//   protocol names
// returns: talker, controller, services, sessions, failed, protocols,
//   first_seen, last_seen
// step: 15
// limitations: A controller is a host whose ICS service answered in this
//   case; one that never answered is not counted. Pairs are compared by
//   address.
MATCH (c:Host {case: $case})-[:OFFERS]->(svc:Service)
WHERE svc.port IN $ics_ports OR toLower(coalesce(svc.protocol, '')) IN $ics_protocols
WITH c, collect(DISTINCT svc.transport + '/' + toString(svc.port)) AS services
MATCH (a:Host {case: $case})-[t:TALKS_TO]->(c)
WHERE NOT EXISTS {
  (:Host {case: $baseline, ip: a.ip})-[:TALKS_TO]->(:Host {case: $baseline, ip: c.ip})
}
RETURN a.ip AS talker, c.ip AS controller, services, t.sessions AS sessions,
       t.failed AS failed, t.protocols AS protocols, t.first_seen AS first_seen,
       t.last_seen AS last_seen
ORDER BY first_seen, talker, controller
