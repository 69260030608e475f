// title: What the sessions leaked about a host
// description: Every artifact about the host (banners, software versions,
//   device identity, credentials, file transfers, ICS commands), with its
//   values, the session it came from and its frames.
// param suspect: str, required -- the host's IP address
// param kinds: list[str], default [] -- only these artifact kinds (all if empty)
// param evidence_keys: list[str], default ["key", "case", "kind", "capture",
//   "first_frame", "last_frame", "frames", "first_seen", "last_seen",
//   "transport", "about", "inferred", "confidence"] -- properties left out
//   of values
// returns: kind, values, inferred, confidence, session, first_frame, frames,
//   first_seen
// step: 8
// limitations: Credentials are returned as stored (unmasked). Only what the
//   extractors of issue 3 recognise is here.
MATCH (s:Session)-[:YIELDED]->(a:Artifact {case: $case})-[:ABOUT]->
      (:Host {case: $case, ip: $suspect})
WHERE size($kinds) = 0 OR a.kind IN $kinds
RETURN a.kind AS kind,
       [k IN keys(a) WHERE NOT k IN $evidence_keys | [k, a[k]]] AS values,
       a.inferred AS inferred,
       a.confidence AS confidence, s.key AS session,
       a.first_frame AS first_frame, a.frames AS frames,
       a.first_seen AS first_seen
ORDER BY first_seen, kind
