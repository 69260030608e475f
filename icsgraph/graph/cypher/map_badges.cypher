// Alerts, findings (with their techniques) and artifacts about each host.
// Secret values never leave the database: an artifact brings back its
// non-secret fields and only the names of the secret fields it holds.
// `opened` says the host is the client of a finding's evidence sessions.
MATCH (h:Host {case: $case})
WHERE $keys IS NULL OR h.key IN $keys
WITH h,
  [(al:Alert)-->(h) | {title: al.title, severity: al.severity,
    sessions: [(al)-->(s:Session) | s.key][..$max_keys]}] AS alerts,
  [(f:Finding)-[r:INVOLVES]->(h) | {rule: f.rule, title: f.title,
    involves: properties(r),
    techniques: [(f)-[:MAPS_TO]->(t:Technique) | {id: t.id, name: t.name}],
    opened: size([(f)-[:EVIDENCED_BY]->(s:Session)<-[:OPENED]-(h) | 1]) > 0,
    sessions: ([(f)-[:EVIDENCED_BY]->(s:Session) | s.key]
      + [(f)-[:EVIDENCED_BY]->(:Artifact)<-[:YIELDED]-(s:Session) | s.key]
    )[..$max_keys]}] AS findings,
  [(a:Artifact)-[:ABOUT]->(h) WHERE a.kind IN $artifact_kinds | {
    kind: a.kind,
    fields: [k IN keys(a) WHERE NOT toLower(k) IN $secret_keys |
      {name: k, value: a[k]}],
    secrets: [k IN keys(a) WHERE toLower(k) IN $secret_keys
      AND a[k] IS NOT NULL],
    sessions: [(s:Session)-[:YIELDED]->(a) | s.key][..$max_keys]}] AS artifacts
WHERE size(alerts) + size(findings) + size(artifacts) > 0
RETURN h.key AS key, alerts, findings, artifacts
