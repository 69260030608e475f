// title: The same MAC in other cases
// description: MAC addresses this case's captures saw that another case's
//   captures saw too, with the addresses each case saw them use: a device
//   that moved, or the same site captured twice.
// param other: str, default null -- only this other case
// returns: mac, vendor, other_case, ips_here, ips_there
// step: 15
// limitations: A MAC seen through a router is the router's; virtual and
//   randomised MACs tie unrelated devices.
MATCH (:Capture)-[here:SAW {case: $case, kind: 'mac'}]->(m:Mac)
      <-[there:SAW {kind: 'mac'}]-(:Capture)
WHERE there.case <> $case AND ($other IS NULL OR there.case = $other)
RETURN m.address AS mac, m.vendor AS vendor, there.case AS other_case,
       reduce(s = [], ips IN collect(DISTINCT here.ips) |
         s + [ip IN ips WHERE NOT ip IN s]) AS ips_here,
       reduce(s = [], ips IN collect(DISTINCT there.ips) |
         s + [ip IN ips WHERE NOT ip IN s]) AS ips_there
ORDER BY other_case, mac
