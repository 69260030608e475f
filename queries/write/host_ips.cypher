// The addresses whose zone is to be computed.
MATCH (h:Host {case: $case})
RETURN h.key AS key, h.ip AS ip
