// title: ARP activity per MAC
// description: MACs of the case that spoke ARP, with the addresses they
//   claimed and when they were seen, for an analyst checking a suspected ARP
//   sweep by eye.
// returns: mac, vendor, claimed, first_seen, last_seen, duration
// step: 13
// limitations: The graph does not keep the addresses an ARP request asked for
//   (who-has targets) nor their times, so an ARP sweep (one MAC asking for 50
//   addresses of a /16 in 2 minutes) cannot be counted or confirmed, and the
//   Mac's SAW relationship has no frame count. Needs the ARP targets with
//   their times on the Mac's SAW relationship (ingest).
MATCH (:Case {id: $case})-[:HAS_CAPTURE]->(:Capture)
      -[r:SAW {case: $case, kind: 'mac'}]->(m:Mac)
WHERE 'arp' IN r.protocols
RETURN m.address AS mac, m.vendor AS vendor,
       reduce(ips = [], r2 IN collect(r) | ips
         + [ip IN r2.ips WHERE NOT ip IN ips]) AS claimed,
       min(r.first_seen) AS first_seen,
       max(r.last_seen) AS last_seen,
       max(r.last_seen) - min(r.first_seen) AS duration
ORDER BY duration DESC, mac
