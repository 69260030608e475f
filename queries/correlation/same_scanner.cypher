// title: The same scanner in other cases
// description: Hosts that scanning findings name as the scanner in this case
//   and in another, matched by address or by MAC.
// param other: str, default null -- only this other case
// returns: scanner_here, other_case, scanner_there, matched_by, rules_here,
//   rules_there
// requires: findings
// step: 15
// limitations: The other case needs its findings recorded too (they are
//   recorded when a findings-based query runs on it).
MATCH (f:Finding {case: $case})-[:INVOLVES {role: 'actor'}]->(h:Host)
WHERE f.scan_kind IS NOT NULL
MATCH (g:Finding)-[:INVOLVES {role: 'actor'}]->(o:Host)
WHERE g.case <> $case AND ($other IS NULL OR g.case = $other)
  AND g.scan_kind IS NOT NULL
WITH f, h, g, o, CASE WHEN o.ip = h.ip THEN 'address'
  WHEN EXISTS { (h)-[:HAS_MAC]->(:Mac)<-[:HAS_MAC]-(o) } THEN 'mac'
  ELSE null END AS matched_by
WHERE matched_by IS NOT NULL
RETURN h.ip AS scanner_here, g.case AS other_case, o.ip AS scanner_there,
       matched_by, collect(DISTINCT f.rule) AS rules_here,
       collect(DISTINCT g.rule) AS rules_there
ORDER BY other_case, scanner_here
