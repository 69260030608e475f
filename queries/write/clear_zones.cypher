// A case's zones are recomputed whole: the zones file may have changed.
MATCH (z:Zone {case: $case})
DETACH DELETE z
