// The captures of a case and the paths they were ingested from.
MATCH (:Case {id: $case})-[:HAS_CAPTURE]->(c:Capture)
RETURN c.sha256 AS sha256, c.file_name AS file_name,
  coalesce(c.paths, []) AS paths
ORDER BY file_name, sha256
