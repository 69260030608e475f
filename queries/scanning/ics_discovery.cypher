// title: ICS discovery messages
// description: Sources of ICS discovery and identification requests (Modbus
//   Read Device Identification, S7 SZL reads, ENIP ListIdentity, BACnet
//   Who-Is, DNP3 link status, ...) sent to at least min_targets hosts within
//   window seconds, with the protocols and functions used.
// param suspect: str, default null -- only this source address
// param min_targets: int, threshold ics_discovery.min_targets -- distinct
//   hosts in the window
// param window: float, threshold ics_discovery.window -- seconds
// returns: scanner, targets, targets_in_window, protocols, functions,
//   messages, hosts, evidence, capture, first_frame, last_frame,
//   first_seen, last_seen
// attack: T0846, T0888
// finding: ics_discovery
// confidence: 0.6
// step: 13
// limitations: Only protocols with a parser in ingest/ics. A master that
//   reads identification as part of normal polling is listed too.
MATCH (a:Host {case: $case})-[:OPENED]->(s:Session)-[:TO]->(b:Host),
      (s)-[:YIELDED]->(x:Artifact {kind: 'ics_command'})
WHERE ($suspect IS NULL OR a.ip = $suspect) AND x.command_kind = 'discovery'
WITH a, collect({at: x.first_seen, target: b.ip, art: x, s: s}) AS ms
UNWIND ms AS anchor
UNWIND ms AS m
WITH a, ms, anchor.at AS start, m
WHERE start <= m.at <= start + $window
WITH a, ms, start, count(DISTINCT m.target) AS targets
ORDER BY targets DESC, start
WITH a, ms, collect(start)[0] AS start, max(targets) AS targets_in_window
WHERE targets_in_window >= $min_targets
WITH a, targets_in_window, ms,
     [m IN ms WHERE start <= m.at <= start + $window] AS win
WITH a, targets_in_window, ms, win,
     reduce(t = [], m IN ms |
       CASE WHEN m.target IN t THEN t ELSE t + m.target END) AS all_targets
RETURN a.ip AS scanner, size(all_targets) AS targets, targets_in_window,
       reduce(p = [], m IN ms | CASE WHEN m.art.protocol IN p THEN p
         ELSE p + m.art.protocol END) AS protocols,
       reduce(f = [], m IN ms | CASE WHEN m.art.function IN f THEN f
         ELSE f + m.art.function END) AS functions,
       size(ms) AS messages, [a.ip] + all_targets[..50] AS hosts,
       reduce(k = [], m IN win | k + [m.art.key, m.s.key]) AS evidence,
       win[0].art.capture AS capture, win[0].art.first_frame AS first_frame,
       reduce(f = 0, m IN win | CASE WHEN m.art.first_frame > f
         THEN m.art.first_frame ELSE f END) AS last_frame,
       win[0].at AS first_seen,
       reduce(t = 0.0, m IN win | CASE WHEN m.at > t THEN m.at ELSE t END)
         AS last_seen
ORDER BY targets DESC, scanner
