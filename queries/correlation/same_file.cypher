// title: The same file in other cases
// description: Files transferred in this case and another with the same
//   SHA-256, with their names and the hosts on each side.
// param other: str, default null -- only this other case
// returns: sha256, name_here, name_there, other_case, session_here,
//   session_there
// step: 15
// limitations: Only transfers whose bytes were all in the capture have a
//   hash; inferred transfers have none.
MATCH (sa:Session)-[:YIELDED]->(a:Artifact {case: $case, kind: 'file_transfer'})
WHERE a.sha256 IS NOT NULL
MATCH (sb:Session)-[:YIELDED]->
      (b:Artifact {kind: 'file_transfer', sha256: a.sha256})
WHERE b.case <> $case AND ($other IS NULL OR b.case = $other)
RETURN a.sha256 AS sha256, a.name AS name_here, b.name AS name_there,
       b.case AS other_case, sa.key AS session_here, sb.key AS session_there
ORDER BY other_case, sha256
