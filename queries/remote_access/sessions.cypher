// title: Remote access sessions
// description: RDP, VNC, SSH, Telnet and common remote-support tools
//   (TeamViewer, AnyDesk, Radmin, pcAnywhere, DameWare, Citrix, Apple Remote
//   Desktop, ...) by payload protocol or server port that carried data (a
//   refused or bare handshake is a probe, see scanning), those opened from an
//   internet or DMZ zone first, each with the kinds of artifacts it yielded.
// param suspect: str, default null -- only sessions with this address
// param outside_kinds: list[str], default ["internet", "dmz"] -- zone kinds
//   that make a session external remote access
// param min_bytes: int, threshold remote_access.min_bytes -- smallest session
//   listed
// returns: tool, client, client_zone, server, server_zone, external, port,
//   protocol, state, bytes_out, bytes_in, yielded, session, techniques, hosts,
//   evidence, capture, first_frame, last_frame, first_seen, last_seen
// requires: zones
// attack: T0886, T0822
// finding: remote_access
// confidence: 0.6
// step: 11
// limitations: Tools that tunnel over 443 or a relay (TeamViewer and AnyDesk
//   often do) are not told apart from HTTPS. Whether a login succeeded is in
//   the credential artifacts, not here.
MATCH (cz:Zone)<-[:IN_ZONE]-(c:Host {case: $case})-[:OPENED]->(s:Session)
      -[:TO]->(v:Host)-[:IN_ZONE]->(vz:Zone)
WHERE ($suspect IS NULL OR $suspect IN [c.ip, v.ip]) AND s.bytes >= $min_bytes
  AND NOT s.state IN ['unanswered', 'rejected', 'answered']
WITH cz, c, s, v, vz, toLower(coalesce(s.protocol, '')) AS p, s.dst_port AS port
WITH cz, c, s, v, vz, CASE
    WHEN p = 'rdp' OR port = 3389 THEN 'rdp'
    WHEN p IN ['vnc', 'rfb'] OR 5900 <= port <= 5910 OR port IN [5800, 5500]
      THEN 'vnc'
    WHEN p = 'ssh' OR port = 22 THEN 'ssh'
    WHEN p = 'telnet' OR port IN [23, 992] THEN 'telnet'
    WHEN port = 5938 THEN 'teamviewer'
    WHEN port IN [7070, 6568] THEN 'anydesk'
    WHEN port = 4899 THEN 'radmin'
    WHEN port IN [5631, 5632] THEN 'pcanywhere'
    WHEN port = 6129 THEN 'dameware'
    WHEN port IN [1494, 2598] THEN 'citrix'
    WHEN port = 3283 THEN 'apple-remote-desktop'
    WHEN port IN [5650, 5651] THEN 'rustdesk'
    WHEN port = 8200 THEN 'gotoassist'
    WHEN port = 5985 OR port = 5986 THEN 'winrm'
    ELSE null END AS tool
WHERE tool IS NOT NULL
WITH cz, c, s, v, vz, tool, cz.kind IN $outside_kinds AS external
RETURN tool, c.ip AS client, cz.name AS client_zone, v.ip AS server,
       vz.name AS server_zone, external, s.dst_port AS port,
       s.protocol AS protocol, s.state AS state, s.bytes_out AS bytes_out,
       s.bytes_in AS bytes_in,
       [(s)-[:YIELDED]->(a:Artifact) | a.kind] AS yielded, s.key AS session,
       CASE WHEN external THEN ['T0886', 'T0822'] ELSE ['T0886'] END
         AS techniques,
       [c.ip, v.ip] AS hosts, [s.key] AS evidence, s.capture AS capture,
       s.first_frame AS first_frame, s.last_frame AS last_frame,
       s.first_seen AS first_seen, s.last_seen AS last_seen
ORDER BY external DESC, first_seen, session
