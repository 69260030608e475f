// One Case, one Capture (shared by the cases that ingest the same file).
MERGE (k:Case {id: $case})
  ON CREATE SET k.created = datetime()
MERGE (c:Capture {sha256: $sha256})
  ON CREATE SET c.file_name = $file_name, c.complete = false, c.paths = []
SET c.paths = CASE WHEN $path IS NULL OR $path IN c.paths THEN c.paths
  ELSE c.paths + $path END
MERGE (k)-[r:HAS_CAPTURE]->(c)
  ON CREATE SET r.case = $case, r.complete = false
SET r.started = datetime()
