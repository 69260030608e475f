// Constraints first: each brings its index, and MERGE on these keys is what
// makes a re-run of an ingest change nothing.
CREATE CONSTRAINT case_id IF NOT EXISTS FOR (n:Case) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT capture_sha256 IF NOT EXISTS FOR (n:Capture) REQUIRE n.sha256 IS UNIQUE;
CREATE CONSTRAINT host_key IF NOT EXISTS FOR (n:Host) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT mac_address IF NOT EXISTS FOR (n:Mac) REQUIRE n.address IS UNIQUE;
CREATE CONSTRAINT service_key IF NOT EXISTS FOR (n:Service) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT session_key IF NOT EXISTS FOR (n:Session) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT artifact_key IF NOT EXISTS FOR (n:Artifact) REQUIRE n.key IS UNIQUE;
CREATE INDEX host_case_ip IF NOT EXISTS FOR (n:Host) ON (n.case, n.ip);
CREATE INDEX session_case IF NOT EXISTS FOR (n:Session) ON (n.case, n.protocol);
CREATE INDEX session_capture IF NOT EXISTS FOR (n:Session) ON (n.capture);
CREATE INDEX service_case IF NOT EXISTS FOR (n:Service) ON (n.case, n.port);
CREATE INDEX artifact_case IF NOT EXISTS FOR (n:Artifact) ON (n.case, n.kind);
