// title: File transfers to or from the suspects
// description: Every file_transfer artifact (FTP RETR/STOR, HTTP downloads and
//   uploads, TFTP reads and writes, SMB opens, reads and writes, and transfers
//   inferred from encrypted sessions) with what is known of the file.
// param suspects: list[str], default [] -- only transfers with these
//   addresses (all if empty)
// returns: protocol, client, server, direction, name, size, expected_size,
//   complete, sha256, inferred, confidence, session, hosts, evidence, capture, first_frame, last_frame,
//   first_seen, last_seen
// attack: T0867
// finding: file_transfer
// confidence: 0.5
// step: 10
// limitations: Names, sizes and hashes only where the bytes are in the
//   capture: a file is complete (and hashed) only when every byte and the
//   end of the transfer were captured; expected_size is what the server
//   announced; SFTP, SCP, FTPS and HTTPS transfers are inferred from volume and
//   direction (inferred = true) and have no name. Whether a file is a tool
//   (T0867) is the analyst's call.
MATCH (c:Host {case: $case})-[:OPENED]->(s:Session)-[:TO]->(v:Host),
      (s)-[:YIELDED]->(a:Artifact {kind: 'file_transfer'})
WHERE size($suspects) = 0 OR c.ip IN $suspects OR v.ip IN $suspects
WITH c, v, s, a,
     reduce(m = a.first_frame, f IN coalesce(a.frames, []) |
       CASE WHEN f > m THEN f ELSE m END) AS last_frame
RETURN a.protocol AS protocol, c.ip AS client, v.ip AS server,
       a.direction AS direction, a.name AS name, a.size AS size,
       a.expected_size AS expected_size, a.complete AS complete,
       a.sha256 AS sha256, a.inferred AS inferred, a.confidence AS confidence,
       s.key AS session, [c.ip, v.ip] AS hosts, [a.key, s.key] AS evidence,
       a.capture AS capture, a.first_frame AS first_frame,
       last_frame, a.first_seen AS first_seen, s.last_seen AS last_seen
ORDER BY first_seen, session, name
