// title: PLC scans
// description: One source probing at least min_controllers distinct hosts on
//   an ICS service port (Modbus 502, S7/MMS 102, EtherNet/IP 44818 and 2222,
//   DNP3 20000, IEC-104 2404, BACnet 47808, OPC UA 4840, PROFINET 34964,
//   ...) within window seconds, answered or not; a session longer than
//   max_probe_packets, or one that carried an ICS command other than
//   discovery (a write, a restart), is a master at work, not a probe.
// param suspect: str, default null -- only this source address
// param min_controllers: int, threshold plc_scan.min_controllers -- distinct
//   controllers in the window
// param window: float, threshold plc_scan.window -- seconds
// param max_probe_packets: int, threshold plc_scan.max_probe_packets -- longer
//   sessions are not counted as probes
// param ics_ports: list[int], default [502, 102, 44818, 2222, 20000, 2404,
//   47808, 4840, 34964, 1911, 789, 9600, 5007, 18245, 1962, 20547, 5094, 2455]
//   -- server ports of ICS services
// returns: scanner, controllers, controllers_in_window, answered, ports,
//   sessions, scan_kind, probed, probed_unit, hosts, evidence, capture, first_frame, last_frame,
//   first_seen, last_seen
// attack: T0846
// finding: plc_scan
// confidence: 0.8
// step: 13
// limitations: A port is not proof of a controller: a host is counted when a
//   session went to one of ics_ports on it. Broadcast discovery (BACnet
//   Who-Is, ENIP ListIdentity to a broadcast address) is in
//   scanning/ics_discovery.
MATCH (a:Host {case: $case})-[:OPENED]->(s:Session)-[:TO]->(b:Host)
WHERE ($suspect IS NULL OR a.ip = $suspect) AND s.packets <= $max_probe_packets
  AND s.dst_port IN $ics_ports
  AND NOT EXISTS { (s)-[:YIELDED]->(cmd:Artifact {kind: 'ics_command'})
                  WHERE cmd.command_kind <> 'discovery' }
WITH a, collect(s) AS ss
WHERE size(ss) >= $min_controllers
UNWIND ss AS anchor
UNWIND ss AS x
WITH a, anchor.first_seen AS start, x
WHERE start <= x.first_seen <= start + $window
WITH a, start, count(DISTINCT x.dst_ip) AS controllers
ORDER BY controllers DESC, start
WITH a, collect(start)[0] AS start, max(controllers) AS controllers_in_window
WHERE controllers_in_window >= $min_controllers
MATCH (a)-[:OPENED]->(s:Session)-[:TO]->(b:Host)
WHERE s.packets <= $max_probe_packets AND s.dst_port IN $ics_ports
  AND NOT EXISTS { (s)-[:YIELDED]->(cmd:Artifact {kind: 'ics_command'})
                  WHERE cmd.command_kind <> 'discovery' }
WITH a, controllers_in_window, s, start,
     start <= s.first_seen <= start + $window AS inside
ORDER BY s.first_seen
WITH a, controllers_in_window, count(DISTINCT s.dst_ip) AS controllers,
     collect(CASE WHEN inside THEN s END) AS win,
     collect(DISTINCT CASE WHEN s.state IN ['answered', 'established', 'closed']
       THEN s.dst_ip END) AS up,
     collect(DISTINCT s.dst_port) AS ports
RETURN a.ip AS scanner, controllers, controllers_in_window,
       size(up) AS answered, ports, size(win) AS sessions,
       'PLC scan' AS scan_kind, controllers AS probed,
       'controllers' AS probed_unit,
       [a.ip] + up[..50] AS hosts, [s IN win | s.key] AS evidence,
       win[0].capture AS capture, win[0].first_frame AS first_frame,
       reduce(m = 0, s IN win |
         CASE WHEN s.last_frame > m THEN s.last_frame ELSE m END) AS last_frame,
       win[0].first_seen AS first_seen,
       reduce(m = 0.0, s IN win |
         CASE WHEN s.last_seen > m THEN s.last_seen ELSE m END) AS last_seen
ORDER BY controllers DESC, scanner
