// title: Devices seen only at layer 2
// description: MAC addresses of the case's captures that never used an IP
//   address of the case (ARP, LLDP, PROFINET DCP, GOOSE), with their vendor,
//   the layer-2 protocols they spoke and the names they announced.
// returns: mac, vendor, protocols, names, packets, first_seen, last_seen
// step: 1
// limitations: Names come from LLDP and DCP only; a device that stayed
//   silent is not in the capture.
MATCH (:Case {id: $case})-[:HAS_CAPTURE]->(:Capture)
      -[r:SAW {case: $case, kind: 'mac', layer2_only: true}]->(m:Mac)
RETURN m.address AS mac, m.vendor AS vendor, m.protocols AS protocols,
       m.names AS names, sum(r.packets) AS packets,
       min(r.first_seen) AS first_seen, max(r.last_seen) AS last_seen
ORDER BY mac
