// Whether the case exists, so a typo gets a one-line error, not an empty map.
MATCH (k:Case {id: $case})
RETURN k.id AS id
