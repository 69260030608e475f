// Alerts imported from a sensor's export: one node per alert, keyed by case.
CREATE CONSTRAINT alert_key IF NOT EXISTS FOR (n:Alert) REQUIRE n.key IS UNIQUE;
CREATE INDEX alert_case IF NOT EXISTS FOR (n:Alert) ON (n.case, n.id);
