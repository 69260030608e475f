// The host-to-host aggregate that maps and quick questions read, rebuilt from
// the sessions of the hosts this capture touched.
MATCH (:Capture {sha256: $sha256})-[:SAW {case: $case}]->(a:Host)
MATCH (a)-[:OPENED]->(s:Session)-[:TO]->(b:Host)
WITH a, b, s ORDER BY s.first_seen
WITH a, b, collect(s) AS ss
WITH a, b, ss, reduce(m = ss[0], s IN ss |
  CASE WHEN s.last_seen > m.last_seen THEN s ELSE m END) AS last
MERGE (a)-[t:TALKS_TO]->(b)
SET t.case = $case,
    t.sessions = size(ss),
    t.packets = reduce(n = 0, s IN ss | n + s.packets),
    t.bytes = reduce(n = 0, s IN ss | n + s.bytes),
    t.failed = size([s IN ss WHERE s.state IN ['rejected', 'unanswered']]),
    t.protocols = reduce(ps = [], s IN ss |
      CASE WHEN s.protocol IN ps THEN ps ELSE ps + s.protocol END),
    t.capture = ss[0].capture,
    t.first_frame = ss[0].first_frame,
    t.first_seen = ss[0].first_seen,
    t.last_frame = last.last_frame,
    t.last_seen = last.last_seen,
    t.last_capture = last.capture,
    t.captures = reduce(cs = [], s IN ss |
      CASE WHEN s.capture IN cs THEN cs ELSE cs + s.capture END)
