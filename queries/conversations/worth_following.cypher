// title: Streams worth following
// description: Sessions of the suspect that yielded artifacts (banners,
//   identity, accounts, files, commands) or carried a cleartext protocol
//   with data, the richest first: the streams to open with `icsgraph follow`.
// param suspect: str, required -- the host's IP address
// param cleartext: list[str], default ["telnet", "ftp", "http", "tftp",
//   "snmp", "smtp", "pop3", "imap", "rlogin", "rsh", "rexec", "ldap",
//   "syslog", "vnc"] -- protocols whose bytes are readable
// param limit: int, default 200 -- at most this many sessions
// returns: session, client, server, transport, port, protocol, state,
//   packets, bytes, yielded, first_frame, last_frame, first_seen
// step: 7
// limitations: Cleartext is judged by protocol name; an unnamed protocol on
//   an odd port is listed only when an extractor found something in it.
MATCH (h:Host {case: $case, ip: $suspect})-[:OPENED|TO]-(s:Session)
WITH DISTINCT s, [(s)-[:YIELDED]->(a:Artifact) | a.kind] AS kinds
WHERE size(kinds) > 0
   OR (toLower(coalesce(s.protocol, '')) IN $cleartext
       AND NOT s.state IN ['unanswered', 'rejected', 'answered'])
RETURN s.key AS session, s.src_ip AS client, s.dst_ip AS server,
       s.transport AS transport, s.dst_port AS port, s.protocol AS protocol,
       s.state AS state, s.packets AS packets, s.bytes AS bytes,
       reduce(k = [], x IN kinds | CASE WHEN x IN k THEN k ELSE k + x END)
         AS yielded,
       s.first_frame AS first_frame, s.last_frame AS last_frame,
       s.first_seen AS first_seen
ORDER BY size(kinds) DESC, bytes DESC, first_seen
LIMIT $limit
