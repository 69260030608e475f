// title: ICS discovery messages
// description: Sources of ICS discovery and identification requests (Modbus
//   Read Device Identification and Report Slave ID, S7 SZL reads, ENIP List
//   Identity, CIP Get Attributes, BACnet Who-Is, ...) sent to at least
//   min_targets hosts within window seconds, when discovery is at least
//   min_share of the ICS requests the source sent (a master polling its
//   devices reads identification now and then; a scanner mostly asks who is
//   there), with the protocols and functions used.
// param suspect: str, default null -- only this source address
// param min_targets: int, threshold ics_discovery.min_targets -- distinct
//   hosts in the window
// param window: float, threshold ics_discovery.window -- seconds
// param min_share: float, threshold ics_discovery.min_share -- discovery
//   requests over all ICS requests of the source
// returns: scanner, targets, targets_in_window, protocols, functions,
//   messages, requests, share, scan_kind, probed, probed_unit, hosts,
//   evidence, capture, first_frame, last_frame, first_seen, last_seen
// attack: T0846, T0888
// finding: ics_discovery
// confidence: 0.6
// step: 13
// limitations: Only protocols with a parser in ingest/ics. A broadcast
//   discovery (Who-Is, List Identity to x.x.x.255) counts as one target: who
//   answered is in the answers' own sessions. A master whose polling is
//   mostly identification reads is listed too.
MATCH (a:Host {case: $case})-[:OPENED]->(s:Session)-[:TO]->(b:Host),
      (s)-[:YIELDED]->(x:Artifact {kind: 'ics_command'})
WHERE ($suspect IS NULL OR a.ip = $suspect) AND x.command_kind = 'discovery'
WITH a, collect({at: x.first_seen, target: b.ip, art: x, s: s}) AS ms
WITH a, ms, COLLECT {
    MATCH (a)-[:OPENED]->(:Session)-[:YIELDED]->
          (f:Artifact {kind: 'ics_functions'})
    UNWIND coalesce(f.extra, []) AS e
    WITH e WHERE e STARTS WITH 'count:'
    RETURN toInteger(split(e, '=')[1])
  } AS counts
WITH a, ms, reduce(n = 0, c IN counts | n + c) AS requests
WITH a, ms, requests,
     CASE requests WHEN 0 THEN 1.0 ELSE 1.0 * size(ms) / requests END AS share
WHERE share >= $min_share
UNWIND ms AS anchor
UNWIND ms AS m
WITH a, ms, requests, share, anchor.at AS start, m
WHERE start <= m.at <= start + $window
WITH a, ms, requests, share, start, count(DISTINCT m.target) AS targets
ORDER BY targets DESC, start
WITH a, ms, requests, share, collect(start)[0] AS start,
     max(targets) AS targets_in_window
WHERE targets_in_window >= $min_targets
WITH a, targets_in_window, ms, requests, share,
     [m IN ms WHERE start <= m.at <= start + $window] AS win
WITH a, targets_in_window, ms, requests, share, win,
     reduce(t = [], m IN ms |
       CASE WHEN m.target IN t THEN t ELSE t + m.target END) AS all_targets
RETURN a.ip AS scanner, size(all_targets) AS targets, targets_in_window,
       reduce(p = [], m IN ms | CASE WHEN m.art.protocol IN p THEN p
         ELSE p + m.art.protocol END) AS protocols,
       reduce(f = [], m IN ms | CASE WHEN m.art.function IN f THEN f
         ELSE f + m.art.function END) AS functions,
       size(ms) AS messages, requests, round(share, 3) AS share,
       'ICS discovery' AS scan_kind, size(all_targets) AS probed,
       'targets' AS probed_unit, [a.ip] + all_targets[..50] AS hosts,
       reduce(k = [], m IN win | k + [m.art.key, m.s.key]) AS evidence,
       win[0].art.capture AS capture, win[0].art.first_frame AS first_frame,
       reduce(f = 0, m IN win | CASE WHEN m.art.last_frame > f
         THEN m.art.last_frame ELSE f END) AS last_frame,
       win[0].at AS first_seen,
       reduce(t = 0.0, m IN win | CASE WHEN m.at > t THEN m.at ELSE t END)
         AS last_seen
ORDER BY targets DESC, scanner
