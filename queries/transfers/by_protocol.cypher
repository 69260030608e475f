// title: Transfer channels by protocol and volume
// description: Sessions of the protocols that carry files (SMB, FTP data,
//   TFTP, HTTP, HTTPS, SSH for SFTP/SCP, FTPS), by port, payload name or, for
//   FTP and TFTP data, by the control session of the same pair, with the bytes
//   each way; encrypted ones only from a volume up.
// param suspect: str, default null -- only sessions with this address
// param min_bytes: int, threshold transfers.min_bytes -- smallest encrypted
//   session listed
// returns: channel, client, server, port, bytes_out, bytes_in, direction,
//   encrypted, state, first_seen, first_frame, session
// step: 10
// limitations: Channels only; which file moved is in transfers/files. FTP
//   data is tied by pair and time to an FTP control session, TFTP data to a
//   port-69 request of the same pair.
MATCH (c:Host {case: $case})-[:OPENED]->(s:Session)-[:TO]->(v:Host)
WHERE $suspect IS NULL OR $suspect IN [c.ip, v.ip]
WITH c, v, s, toLower(coalesce(s.protocol, '')) AS p
WITH c, v, s, CASE
    WHEN p IN ['smb', 'smb2', 'nbss', 'cifs'] OR s.dst_port IN [139, 445]
      THEN 'smb'
    WHEN p = 'ftp-data' OR (s.transport = 'tcp' AND s.dst_port <> 21
      AND EXISTS {
        MATCH (c)-[:OPENED|TO]-(ctl:Session {transport: 'tcp', dst_port: 21})
              -[:OPENED|TO]-(v)
        WHERE ctl.first_seen <= s.first_seen <= ctl.last_seen
      })
      THEN 'ftp-data'
    WHEN p IN ['ftps', 'ftps-data'] OR s.dst_port IN [989, 990] THEN 'ftps'
    WHEN p = 'tftp' OR (s.transport = 'udp' AND (s.dst_port = 69 OR EXISTS {
        MATCH (c)-[:OPENED|TO]-(req:Session {transport: 'udp', dst_port: 69})
              -[:OPENED|TO]-(v)
        WHERE req.first_seen <= s.first_seen
      }))
      THEN 'tftp'
    WHEN p = 'http' OR s.dst_port IN [80, 8000, 8080] THEN 'http'
    WHEN p IN ['tls', 'https'] OR s.dst_port = 443 THEN 'https'
    WHEN p IN ['ssh', 'sftp', 'scp'] OR s.dst_port = 22 THEN 'sftp/scp'
    ELSE null END AS channel
WHERE channel IS NOT NULL
WITH c, v, s, channel, channel IN ['ftps', 'https', 'sftp/scp'] AS encrypted
WHERE NOT encrypted OR s.bytes >= $min_bytes
RETURN channel, c.ip AS client, v.ip AS server, s.dst_port AS port,
       s.bytes_out AS bytes_out, s.bytes_in AS bytes_in,
       CASE WHEN s.bytes_out >= s.bytes_in THEN 'upload' ELSE 'download' END
         AS direction,
       encrypted, s.state AS state, s.first_seen AS first_seen,
       s.first_frame AS first_frame, s.key AS session
ORDER BY first_seen, session
