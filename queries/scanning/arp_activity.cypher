// title: ARP activity per MAC
// description: MACs of the case that spoke ARP, with the addresses they
//   claimed, how many distinct addresses they asked for (who-has targets)
//   and when they were seen, for an analyst checking ARP by eye.
// returns: mac, vendor, claimed, asked, first_seen, last_seen, duration
// step: 13
// limitations: asked adds up each capture's distinct targets, so an address
//   asked for in two captures counts twice; the times are those of the
//   whole MAC, not of its ARP alone, and the Mac's SAW relationship has no
//   frame count. Whether the requests were a sweep, and in which window, is
//   scanning/arp_sweep's question.
MATCH (:Case {id: $case})-[:HAS_CAPTURE]->(:Capture)
      -[r:SAW {case: $case, kind: 'mac'}]->(m:Mac)
WHERE 'arp' IN r.protocols
RETURN m.address AS mac, m.vendor AS vendor,
       reduce(ips = [], r2 IN collect(r) | ips
         + [ip IN r2.ips WHERE NOT ip IN ips]) AS claimed,
       sum(coalesce(r.arp_targets, 0)) AS asked,
       min(r.first_seen) AS first_seen,
       max(r.last_seen) AS last_seen,
       max(r.last_seen) - min(r.first_seen) AS duration
ORDER BY duration DESC, mac
