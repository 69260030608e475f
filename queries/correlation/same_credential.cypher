// title: The same credential in other cases
// description: Accounts (protocol and user name, and the same secret) used in
//   this case and another, with the servers they were used on.
// param other: str, default null -- only this other case
// returns: protocol, username, same_password, other_case, server_here,
//   server_there
// step: 15
// limitations: Only cleartext credentials the extractors recognise; the
//   password itself is not returned.
MATCH (:Session)-[:YIELDED]->(a:Artifact {case: $case, kind: 'credential'})
      -[:ABOUT]->(h:Host)
WHERE a.username IS NOT NULL
MATCH (b:Artifact {kind: 'credential', username: a.username})-[:ABOUT]->(o:Host)
WHERE b.case <> $case AND ($other IS NULL OR b.case = $other)
  AND coalesce(b.protocol, '') = coalesce(a.protocol, '')
RETURN DISTINCT a.protocol AS protocol, a.username AS username,
       a.password = b.password AS same_password, b.case AS other_case,
       h.ip AS server_here, o.ip AS server_there
ORDER BY other_case, protocol, username
