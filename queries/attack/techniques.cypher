// title: ATT&CK for ICS placement
// description: The case's findings grouped by the ATT&CK for ICS technique
//   they evidence, with the technique's name and tactics, the rules that
//   fired and the hosts involved.
// returns: technique, name, tactics, findings, rules, hosts, first_seen,
//   last_seen, max_confidence
// requires: findings
// step: 14
// limitations: Only what the rule queries (scanning, remote_access,
//   ics_commands, transfers) detect; techniques with no rule never appear.
MATCH (f:Finding {case: $case})-[:MAPS_TO]->(t:Technique)
OPTIONAL MATCH (f)-[:INVOLVES]->(h:Host)
RETURN t.id AS technique, t.name AS name, t.tactics AS tactics,
       count(DISTINCT f) AS findings, collect(DISTINCT f.rule) AS rules,
       collect(DISTINCT h.ip) AS hosts, min(f.first_seen) AS first_seen,
       max(f.last_seen) AS last_seen, max(f.confidence) AS max_confidence
ORDER BY technique
