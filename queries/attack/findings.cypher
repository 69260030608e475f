// title: Findings
// description: Every finding of the case (or of one host): the rule that
//   produced it, its title, confidence and thresholds, the hosts it involves,
//   the techniques it maps to and how much evidence backs it. The first host
//   is the actor (scanner, client, master).
// param suspect: str, default null -- only findings involving this address
// returns: rule, title, confidence, techniques, hosts, evidence, thresholds,
//   first_seen, last_seen, capture, first_frame, last_frame, finding
// requires: findings
// step: 14
// limitations: Only what the rule queries detect; a finding is a lead, not a
//   verdict.
MATCH (f:Finding {case: $case})
WHERE $suspect IS NULL
   OR EXISTS { (f)-[:INVOLVES]->(:Host {case: $case, ip: $suspect}) }
RETURN f.rule AS rule, f.title AS title, f.confidence AS confidence,
       [(f)-[:MAPS_TO]->(t:Technique) | t.id] AS techniques,
       [(f)-[:INVOLVES {role: 'actor'}]->(h:Host) | h.ip]
         + [(f)-[:INVOLVES {role: 'target'}]->(h:Host) | h.ip] AS hosts,
       COUNT { (f)-[:EVIDENCED_BY]->() } AS evidence,
       f.thresholds AS thresholds, f.first_seen AS first_seen,
       f.last_seen AS last_seen, f.capture AS capture,
       f.first_frame AS first_frame, f.last_frame AS last_frame,
       f.key AS finding
ORDER BY first_seen, rule, finding
