// Sessions per application protocol, and how the protocol was named.
MATCH (s:Session {case: $case})
RETURN s.transport AS transport, s.protocol AS protocol,
       s.protocol_source AS named_by, count(*) AS sessions,
       sum(s.packets) AS packets, sum(s.bytes) AS bytes
ORDER BY sessions DESC, protocol
