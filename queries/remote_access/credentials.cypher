// title: Accounts seen in cleartext
// description: Credential artifacts (Telnet and FTP logins, HTTP Basic and
//   forms, SNMP communities, NTLM users) with the session, client and server
//   they belong to and whether the login seemed to succeed.
// param suspect: str, default null -- only sessions with this address
// returns: protocol, client, server, username, password, outcome, session, hosts,
//   evidence, capture, first_frame, last_frame, first_seen, last_seen
// attack: T0859
// finding: valid_accounts
// confidence: 0.7
// step: 8
// limitations: Passwords print masked unless --show-secrets. A
//   default-credential check (T0812) needs a list of vendor defaults, which
//   the project does not ship yet.
MATCH (c:Host {case: $case})-[:OPENED]->(s:Session)-[:TO]->(v:Host),
      (s)-[:YIELDED]->(a:Artifact {kind: 'credential'})
WHERE $suspect IS NULL OR $suspect IN [c.ip, v.ip]
RETURN a.protocol AS protocol, c.ip AS client, v.ip AS server,
       a.username AS username, a.password AS password,
       a.outcome AS outcome, s.key AS session,
       [c.ip, v.ip] AS hosts, [a.key, s.key] AS evidence,
       a.capture AS capture, a.first_frame AS first_frame,
       reduce(m = a.first_frame, f IN coalesce(a.frames, []) |
         CASE WHEN f > m THEN f ELSE m END) AS last_frame,
       a.first_seen AS first_seen, s.last_seen AS last_seen
ORDER BY first_seen, session
