// title: Probes of ICS ports from outside
// description: Hosts in an internet or DMZ zone that opened sessions to an
//   ICS service port of an inside host and sent something that is not that
//   ICS protocol (a TLS ClientHello, an HTTP GET, an RPC call to port 502):
//   the fingerprinting internet-wide scanners do. One row per source, with
//   the targets and ports it probed and what its payload was.
// param suspect: str, default null -- only this source address
// param outside_kinds: list[str], default ["internet", "dmz"] -- zone kinds
//   that count as outside
// param ics_ports: list[int], default [502, 102, 44818, 2222, 20000, 2404,
//   47808, 4840, 34964, 1911, 789, 9600, 5007, 18245, 1962, 20547, 5094, 2455]
//   -- server ports of ICS services
// returns: scanner, targets, ports, payloads, sessions, scan_kind, probed,
//   probed_unit, hosts, evidence, capture, first_frame, last_frame,
//   first_seen, last_seen
// requires: zones
// attack: T0846
// finding: ics_port_probe
// confidence: 0.6
// step: 13
// limitations: A session counts when its client sent data and no ICS message
//   of a parser in ingest/ics was found in it; a real master speaking a
//   protocol without a parser (OPC UA, MELSEC) on its own port from the
//   internet would be listed. Zones come from addresses alone.
MATCH (cz:Zone)<-[:IN_ZONE]-(a:Host {case: $case})-[:OPENED]->(s:Session)
      -[:TO]->(b:Host)-[:IN_ZONE]->(bz:Zone)
WHERE cz.kind IN $outside_kinds AND NOT bz.kind IN $outside_kinds
  AND ($suspect IS NULL OR a.ip = $suspect)
  AND s.dst_port IN $ics_ports AND s.bytes_out > 0
  AND NOT EXISTS { (s)-[:YIELDED]->(:Artifact {kind: 'ics_functions'}) }
WITH a, s, b ORDER BY s.first_seen
WITH a, collect(s) AS ss, collect(DISTINCT b.ip) AS targets
RETURN a.ip AS scanner, targets,
       reduce(p = [], s IN ss | CASE WHEN s.dst_port IN p THEN p
         ELSE p + s.dst_port END) AS ports,
       reduce(p = [], s IN ss | CASE WHEN s.protocol IN p THEN p
         ELSE p + s.protocol END) AS payloads,
       size(ss) AS sessions, 'ICS port probe' AS scan_kind,
       size(targets) AS probed, 'addresses' AS probed_unit,
       [a.ip] + targets[..50] AS hosts, [s IN ss | s.key] AS evidence,
       ss[0].capture AS capture, ss[0].first_frame AS first_frame,
       reduce(m = 0, s IN ss |
         CASE WHEN s.last_frame > m THEN s.last_frame ELSE m END) AS last_frame,
       ss[0].first_seen AS first_seen,
       reduce(m = 0.0, s IN ss |
         CASE WHEN s.last_seen > m THEN s.last_seen ELSE m END) AS last_seen
ORDER BY first_seen, scanner
