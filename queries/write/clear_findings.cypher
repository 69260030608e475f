// Findings of the rules about to run are recomputed whole, so a changed
// threshold leaves no stale finding behind.
MATCH (f:Finding {case: $case})
WHERE f.rule IN $rules
DETACH DELETE f
