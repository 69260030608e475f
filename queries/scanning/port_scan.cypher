// title: Port scans
// description: One source probing at least min_ports distinct ports of one
//   target within window seconds (per transport): the scanner, the target, how
//   many ports it tried in all and in its busiest window, how many answered,
//   and the sessions of that window as evidence.
// param suspect: str, default null -- only this source address
// param min_ports: int, threshold port_scan.min_ports -- distinct ports in the
//   window
// param window: float, threshold port_scan.window -- seconds
// returns: scanner, target, transport, ports, ports_in_window, open_ports,
//   sample_ports, sessions, scan_kind, probed, probed_unit, hosts, evidence, capture, first_frame,
//   last_frame, first_seen, last_seen
// attack: T0846
// finding: port_scan
// confidence: 0.9
// step: 13
// limitations: Windows start at each probe, so the busiest window is exact.
//   Probes inside one TCP stream (same source port re-used after a reset is a
//   new stream, as in Wireshark) count once per port.
MATCH (a:Host {case: $case})-[t:TALKS_TO]->(b:Host)
WHERE ($suspect IS NULL OR a.ip = $suspect) AND t.sessions >= $min_ports
MATCH (a)-[:OPENED]->(s:Session)-[:TO]->(b)
WITH a, b, s.transport AS transport, collect(s) AS ss
WHERE size(ss) >= $min_ports
UNWIND ss AS anchor
UNWIND ss AS x
WITH a, b, transport, anchor.first_seen AS start, x
WHERE start <= x.first_seen <= start + $window
WITH a, b, transport, start, count(DISTINCT x.dst_port) AS ports
ORDER BY ports DESC, start
WITH a, b, transport, collect(start)[0] AS start, max(ports) AS ports_in_window
WHERE ports_in_window >= $min_ports
MATCH (a)-[:OPENED]->(s:Session {transport: transport})-[:TO]->(b)
WITH a, b, transport, ports_in_window, s, start,
     start <= s.first_seen <= start + $window AS inside
ORDER BY s.first_seen
WITH a, b, transport, ports_in_window, count(DISTINCT s.dst_port) AS ports,
     collect(CASE WHEN inside THEN s END) AS win,
     collect(DISTINCT CASE WHEN s.state IN ['answered', 'established', 'closed']
       THEN s.dst_port END) AS open
RETURN a.ip AS scanner, b.ip AS target, transport, ports, ports_in_window,
       size(open) AS open_ports, open[..20] AS sample_ports,
       size(win) AS sessions, 'port scan' AS scan_kind, ports AS probed,
       'ports' AS probed_unit, [a.ip, b.ip] AS hosts,
       [s IN win | s.key] AS evidence, win[0].capture AS capture,
       win[0].first_frame AS first_frame,
       reduce(m = 0, s IN win |
         CASE WHEN s.last_frame > m THEN s.last_frame ELSE m END) AS last_frame,
       win[0].first_seen AS first_seen,
       reduce(m = 0.0, s IN win |
         CASE WHEN s.last_seen > m THEN s.last_seen ELSE m END) AS last_seen
ORDER BY ports DESC, scanner, target
