// What `follow` needs to find a session's frames again in its capture.
MATCH (s:Session {key: $key, case: $case})
MATCH (c:Capture {sha256: s.capture})
OPTIONAL MATCH (s)-[:YIELDED]->(a:Artifact {kind: 'credential'})
RETURN s.transport AS transport, s.index AS index, s.last_frame AS last_frame,
       s.protocol AS protocol, c.sha256 AS sha256, c.file_name AS file_name,
       c.paths AS paths,
       [p IN collect(a.password) WHERE p IS NOT NULL] AS secrets
