// title: ICS function summary per session
// description: The ics_functions artifact of each ICS session: which
//   function codes went each way and how often, as the parser summarised
//   them.
// param suspect: str, default null -- only sessions with this address
// param evidence_keys: list[str], default ["key", "case", "kind", "capture",
//   "first_frame", "last_frame", "frames", "first_seen", "last_seen",
//   "transport", "about", "inferred", "confidence"] -- properties left out
//   of values
// returns: client, server, protocol, values, session, first_seen
// step: 12
// limitations: Only protocols with a parser in ingest/ics.
MATCH (c:Host {case: $case})-[:OPENED]->(s:Session)-[:TO]->(v:Host),
      (s)-[:YIELDED]->(a:Artifact {kind: 'ics_functions'})
WHERE $suspect IS NULL OR $suspect IN [c.ip, v.ip]
RETURN c.ip AS client, v.ip AS server, a.protocol AS protocol,
       [k IN keys(a) WHERE NOT k IN $evidence_keys | [k, a[k]]] AS values,
       s.key AS session, a.first_seen AS first_seen
ORDER BY first_seen, session
