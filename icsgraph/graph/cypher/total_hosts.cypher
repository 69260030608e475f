// Host totals and evidence from every capture of the case that saw it.
MATCH (:Capture {sha256: $sha256})-[:SAW {case: $case}]->(h:Host)
MATCH (:Capture)-[r:SAW {case: $case}]->(h)
WITH h, r ORDER BY r.first_seen, r.capture
WITH h, collect(r) AS rs
WITH h, rs, reduce(m = rs[0], r IN rs |
  CASE WHEN r.last_seen > m.last_seen THEN r ELSE m END) AS last
SET h.packets = reduce(n = 0, r IN rs | n + r.packets),
    h.bytes = reduce(n = 0, r IN rs | n + r.bytes),
    h.capture = rs[0].capture,
    h.first_frame = rs[0].first_frame,
    h.first_seen = rs[0].first_seen,
    h.last_frame = last.last_frame,
    h.last_seen = last.last_seen,
    h.last_capture = last.capture,
    h.captures = [r IN rs | r.capture]
