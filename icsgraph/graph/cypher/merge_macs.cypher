// MAC addresses are shared by all cases; a case sees one through a capture.
// The arp_* properties sum up the MAC's ARP requests in that capture, per
// /16 and second (see ingest/arp_targets.py); null when it sent none.
UNWIND $rows AS row
MATCH (c:Capture {sha256: row.evidence.capture})
MERGE (m:Mac {address: row.address})
  ON CREATE SET m.vendor = row.vendor, m.capture = row.evidence.capture,
    m.first_frame = row.evidence.first_frame,
    m.first_seen = row.evidence.first_seen
SET m.last_frame = CASE WHEN coalesce(m.last_seen, 0) <= row.evidence.last_seen
      THEN row.evidence.last_frame ELSE m.last_frame END,
    m.last_seen = CASE WHEN coalesce(m.last_seen, 0) <= row.evidence.last_seen
      THEN row.evidence.last_seen ELSE m.last_seen END,
    m.protocols = coalesce(m.protocols, [])
      + [p IN row.protocols WHERE NOT p IN coalesce(m.protocols, [])],
    m.names = coalesce(m.names, [])
      + [n IN row.names WHERE NOT n IN coalesce(m.names, [])]
MERGE (c)-[r:SAW {case: row.case, kind: 'mac'}]->(m)
SET r += row.evidence, r.ips = row.ips, r.protocols = row.protocols,
    r.names = row.names, r.layer2_only = row.layer2_only,
    r.arp_targets = row.arp.arp_targets, r.arp_over_cap = row.arp.arp_over_cap,
    r.arp_senders = row.arp.arp_senders, r.arp_networks = row.arp.arp_networks,
    r.arp_seconds = row.arp.arp_seconds, r.arp_counts = row.arp.arp_counts,
    r.arp_first_frames = row.arp.arp_first_frames,
    r.arp_last_frames = row.arp.arp_last_frames
