// title: What the suspect's sessions leaked
// description: Every artifact yielded by a session the suspect took part in,
//   whichever host it is about (the suspect or its peers): banners, software
//   versions, device identity, accounts, files and ICS identification, with
//   the session and frames it came from.
// param suspect: str, required -- the host's IP address
// param evidence_keys: list[str], default ["key", "case", "kind", "capture",
//   "first_frame", "frames", "first_seen", "about", "inferred", "confidence",
//   "last_frame", "last_seen", "transport"] -- properties left out of values
// returns: about, kind, values, session, first_frame, frames, first_seen
// step: 8
// limitations: Secrets are returned as stored; whoever prints them masks
//   them. ics_functions summaries are left to ics_commands/functions.
MATCH (h:Host {case: $case, ip: $suspect})-[:OPENED|TO]-(s:Session)
      -[:YIELDED]->(a:Artifact)-[:ABOUT]->(x:Host)
WHERE a.kind <> 'ics_functions'
RETURN x.ip AS about, a.kind AS kind,
       [k IN keys(a) WHERE NOT k IN $evidence_keys | [k, a[k]]] AS values,
       s.key AS session, a.first_frame AS first_frame, a.frames AS frames,
       a.first_seen AS first_seen
ORDER BY first_seen, kind, session
