// Keys of the nodes the query packs write: zones, findings, techniques.
CREATE CONSTRAINT zone_key IF NOT EXISTS FOR (n:Zone) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT finding_key IF NOT EXISTS FOR (n:Finding) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT technique_id IF NOT EXISTS FOR (n:Technique) REQUIRE n.id IS UNIQUE;
CREATE INDEX finding_case IF NOT EXISTS FOR (n:Finding) ON (n.case, n.rule);
