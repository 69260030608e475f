// What the case's artifacts and MAC vendors say a host of this capture is.
MATCH (:Capture {sha256: $sha256})-[:SAW {case: $case}]->(h:Host)
CALL {
  WITH h
  MATCH (a:Artifact {kind: 'device_identity'})-[:ABOUT]->(h)
  RETURN a{.*} AS claim
  UNION
  WITH h
  MATCH (h)-[:HAS_MAC]->(:Mac)<-[:ABOUT]-(a:Artifact {kind: 'device_identity'})
  WHERE a.case = h.case
  RETURN a{.*} AS claim
  UNION
  WITH h
  MATCH (h)-[:HAS_MAC]->(m:Mac)
  WHERE m.vendor IS NOT NULL
  RETURN {vendor: m.vendor, source: 'oui', confidence: $oui_confidence,
          first_seen: m.first_seen} AS claim
}
RETURN h.key AS host, collect(claim) AS claims
