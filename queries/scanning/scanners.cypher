// title: Scanners
// description: Every scanning finding of the case in one table: the
//   scanner, the kind of scan (port scan, address sweep, ARP sweep, PLC
//   scan, ICS discovery), how many ports, addresses, controllers or targets
//   it probed, the targets named, the techniques and when it ran.
// param suspect: str, default null -- only this scanner
// returns: scanner, scan_kind, probed, probed_unit, targets, techniques,
//   rule, first_seen, last_seen, capture, first_frame, last_frame, finding
// requires: findings
// step: 13
// limitations: As many as the scanning rules find with the thresholds in
//   force (see each rule's query). A finding is listed by the host that
//   made it: an ARP sweep whose requests claimed no address of a host of
//   the case is in scanning/arp_sweep only. A port scan's target list is
//   the one host scanned; an address sweep names the hosts that answered
//   (at most 50), an ARP sweep none.
MATCH (f:Finding {case: $case})-[:INVOLVES {role: 'actor'}]->(h:Host)
WHERE f.scan_kind IS NOT NULL AND ($suspect IS NULL OR h.ip = $suspect)
RETURN h.ip AS scanner, f.scan_kind AS scan_kind, f.probed AS probed,
       f.probed_unit AS probed_unit,
       [(f)-[:INVOLVES {role: 'target'}]->(t:Host) | t.ip] AS targets,
       [(f)-[:MAPS_TO]->(k:Technique) | k.id] AS techniques, f.rule AS rule,
       f.first_seen AS first_seen, f.last_seen AS last_seen,
       f.capture AS capture, f.first_frame AS first_frame,
       f.last_frame AS last_frame, f.key AS finding
ORDER BY first_seen, scanner, rule
