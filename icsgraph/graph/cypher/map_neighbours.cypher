// One hop of a focus neighbourhood over TALKS_TO, in either direction.
MATCH (h:Host {case: $case})
WHERE h.key IN $frontier
MATCH (h)-[:TALKS_TO]-(n:Host)
RETURN DISTINCT n.key AS key
