// title: Who commands each device
// description: Per device and protocol, the hosts that sent it ICS requests
//   (reads too), how many, the functions they used and how many requests
//   changed state; the basis of a baseline of known masters.
// param suspect: str, default null -- only this device or master
// returns: device, protocol, master, sessions, requests, functions,
//   state_changes, first_seen, last_seen
// step: 12
// limitations: Only protocols with a parser in ingest/ics. Requests are the
//   parser's counts per session (ics_functions); a request sent from the
//   server's side counts for the client as master.
MATCH (c:Host {case: $case})-[:OPENED]->(s:Session)-[:TO]->(v:Host),
      (s)-[:YIELDED]->(a:Artifact {kind: 'ics_functions'})
WHERE $suspect IS NULL OR $suspect IN [c.ip, v.ip]
WITH c, v, s, a,
     CASE WHEN a.function IS :: STRING THEN [a.function]
       ELSE coalesce(a.function, []) END AS functions,
     reduce(n = 0, e IN coalesce(a.extra, []) | n + CASE
       WHEN e STARTS WITH 'count:' THEN toInteger(split(e, '=')[1])
       ELSE 0 END) AS requests
WITH v, c, a.protocol AS protocol, count(DISTINCT s) AS sessions,
     sum(requests) AS requests, collect(functions) AS lists,
     collect(s) AS ss, min(a.first_seen) AS first_seen,
     max(s.last_seen) AS last_seen
RETURN v.ip AS device, protocol, c.ip AS master, sessions, requests,
       reduce(f = [], l IN lists | f + [x IN l WHERE NOT x IN f]) AS functions,
       reduce(n = 0, s IN ss | n + COUNT {
         (s)-[:YIELDED]->(:Artifact {kind: 'ics_command', state_changing: 1})
       }) AS state_changes,
       first_seen, last_seen
ORDER BY device, protocol, requests DESC, master
