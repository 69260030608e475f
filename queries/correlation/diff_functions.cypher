// title: New ICS function codes against a baseline
// description: ICS function codes (with sub-functions where the parser keeps
//   them, as 8/4) that the case's ics_functions artifacts name and the
//   baseline's do not, per protocol, with the pairs that used them.
// param baseline: str, required -- the case of normal traffic
// returns: protocol, function_code, function, sessions, clients, servers,
//   first_seen, sample_sessions
// step: 15
// limitations: Only protocols with a parser in ingest/ics; a code is compared
//   per protocol, whatever the device it went to.
MATCH (c:Host {case: $case})-[:OPENED]->(s:Session)-[:TO]->(v:Host),
      (s)-[:YIELDED]->(a:Artifact {kind: 'ics_functions'})
UNWIND CASE WHEN valueType(a.function) STARTS WITH 'LIST' THEN a.function
  ELSE [a.function] END AS f
WITH a.protocol AS protocol, f, c, v, s
WHERE f IS NOT NULL AND NOT EXISTS {
  MATCH (b:Artifact {case: $baseline, kind: 'ics_functions'})
  WHERE b.protocol = protocol AND (b.function = f
    OR (valueType(b.function) STARTS WITH 'LIST' AND f IN b.function))
}
WITH protocol, f, collect(DISTINCT c.ip) AS clients,
     collect(DISTINCT v.ip) AS servers, collect(DISTINCT s) AS ss
RETURN protocol, split(f, ':')[0] AS function_code,
       substring(f, size(split(f, ':')[0]) + 1) AS function,
       size(ss) AS sessions, clients, servers,
       reduce(t = null, s IN ss |
         CASE WHEN t IS NULL OR s.first_seen < t THEN s.first_seen ELSE t END)
         AS first_seen,
       [s IN ss | s.key][..5] AS sample_sessions
ORDER BY protocol, function_code
