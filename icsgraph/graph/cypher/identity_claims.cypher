// What the case's artifacts and MAC vendors say a host of this capture is:
// identity artifacts, names from DNS answers and DHCP, the MAC's vendor.
MATCH (:Capture {sha256: $sha256})-[:SAW {case: $case}]->(h:Host)
WHERE NOT h.ip IN ['0.0.0.0', '::']  // the source of whoever has no address yet
CALL {
  WITH h
  MATCH (a:Artifact {kind: 'device_identity'})-[:ABOUT]->(h)
  RETURN a{.*} AS claim
  UNION
  WITH h
  MATCH (h)-[:HAS_MAC]->(:Mac)<-[:ABOUT]-(a:Artifact)
  WHERE a.case = h.case AND a.kind IN ['device_identity', 'dhcp_host']
  RETURN CASE a.kind
    WHEN 'dhcp_host' THEN {hostname: a.host_name, source: a.kind,
                           confidence: 0.8, first_seen: a.first_seen}
    ELSE a{.*} END AS claim
  UNION
  WITH h
  MATCH (a:Artifact)-[:ABOUT]->(h)
  WHERE a.kind IN ['dns_name', 'dhcp_host']
    AND coalesce(a.name, a.host_name, '') <> ''
  RETURN {hostname: coalesce(a.name, a.host_name), source: a.kind,
          confidence: CASE a.kind WHEN 'dhcp_host' THEN 0.8 ELSE 0.6 END,
          first_seen: a.first_seen} AS claim
  UNION
  WITH h
  MATCH (h)-[:HAS_MAC]->(m:Mac)
  WHERE m.vendor IS NOT NULL
  RETURN {vendor: m.vendor, source: 'oui', confidence: $oui_confidence,
          first_seen: m.first_seen} AS claim
}
RETURN h.key AS host, collect(claim) AS claims
