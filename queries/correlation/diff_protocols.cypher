// title: New protocols against a baseline
// description: Application protocols (by transport and name) the case's
//   sessions used that no session of the baseline case used, with how many
//   sessions, clients and servers.
// param baseline: str, required -- the case of normal traffic
// returns: transport, protocol, sessions, clients, servers, first_seen,
//   sample_sessions
// step: 15
// limitations: Only named protocols (by payload or port); sessions of an
//   unknown protocol are not compared, nor are layer-2 protocols.
MATCH (s:Session {case: $case})
WHERE s.protocol IS NOT NULL AND s.protocol <> 'unknown'
WITH s.transport AS transport, s.protocol AS protocol, collect(s) AS ss
WHERE NOT EXISTS {
  MATCH (b:Session {case: $baseline})
  WHERE b.transport = transport AND b.protocol = protocol
}
RETURN transport, protocol, size(ss) AS sessions,
       size(reduce(c = [], s IN ss |
         CASE WHEN s.src_ip IN c THEN c ELSE c + s.src_ip END)) AS clients,
       size(reduce(c = [], s IN ss |
         CASE WHEN s.dst_ip IN c THEN c ELSE c + s.dst_ip END)) AS servers,
       reduce(t = null, s IN ss |
         CASE WHEN t IS NULL OR s.first_seen < t THEN s.first_seen ELSE t END)
         AS first_seen,
       [s IN ss | s.key][..5] AS sample_sessions
ORDER BY transport, protocol
