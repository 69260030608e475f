// A batch of sessions with their endpoints, services and edges. A segment is
// applied once: its number is recorded on the session, so a re-run adds
// nothing, and a later segment of a flushed session adds its counters.
UNWIND $rows AS row
MERGE (src:Host {key: row.src_key})
  ON CREATE SET src.case = row.case, src.ip = row.src_ip
MERGE (dst:Host {key: row.dst_key})
  ON CREATE SET dst.case = row.case, dst.ip = row.dst_ip
MERGE (s:Session {key: row.key})
  ON CREATE SET s += row.props, s.segments = [], s.packets_out = 0,
    s.packets_in = 0, s.bytes_out = 0, s.bytes_in = 0, s.tcp_flags = [],
    s.first_seen = row.first_seen, s.first_frame = row.first_frame,
    s.last_seen = row.last_seen, s.last_frame = row.last_frame
WITH src, dst, s, row
WHERE NOT row.segment IN s.segments
SET s.segments = s.segments + row.segment,
    s.packets_out = s.packets_out + row.packets_out,
    s.packets_in = s.packets_in + row.packets_in,
    s.bytes_out = s.bytes_out + row.bytes_out,
    s.bytes_in = s.bytes_in + row.bytes_in,
    s.tcp_flags = s.tcp_flags
      + [f IN row.tcp_flags WHERE NOT f IN s.tcp_flags],
    s.first_seen = CASE WHEN row.first_seen < s.first_seen
      THEN row.first_seen ELSE s.first_seen END,
    s.first_frame = CASE WHEN row.first_frame < s.first_frame
      THEN row.first_frame ELSE s.first_frame END,
    s.last_seen = CASE WHEN row.last_seen > s.last_seen
      THEN row.last_seen ELSE s.last_seen END,
    s.last_frame = CASE WHEN row.last_frame > s.last_frame
      THEN row.last_frame ELSE s.last_frame END,
    s.state = CASE WHEN row.state_rank > coalesce(s.state_rank, -1)
      THEN row.state ELSE s.state END,
    s.state_rank = CASE WHEN row.state_rank > coalesce(s.state_rank, -1)
      THEN row.state_rank ELSE s.state_rank END
SET s.packets = s.packets_out + s.packets_in,
    s.bytes = s.bytes_out + s.bytes_in,
    s.protocol = row.props.protocol,
    s.protocol_source = row.props.protocol_source
MERGE (src)-[o:OPENED]->(s)
  ON CREATE SET o += row.evidence
MERGE (s)-[t:TO]->(dst)
  ON CREATE SET t += row.evidence
WITH s, dst, row
WHERE row.service_key IS NOT NULL
MERGE (svc:Service {key: row.service_key})
  ON CREATE SET svc.case = row.case, svc.ip = row.dst_ip,
    svc.transport = row.props.transport, svc.port = row.dst_port,
    svc.capture = row.props.capture, svc.first_frame = row.first_frame,
    svc.first_seen = row.first_seen, svc.protocol = row.props.protocol,
    svc.protocol_source = row.props.protocol_source
SET svc.protocol = CASE
      WHEN svc.protocol_source = 'payload' THEN svc.protocol
      ELSE row.props.protocol END,
    svc.protocol_source = CASE
      WHEN svc.protocol_source = 'payload' THEN svc.protocol_source
      ELSE row.props.protocol_source END,
    svc.last_frame = row.last_frame, svc.last_seen = row.last_seen
MERGE (dst)-[f:OFFERS]->(svc)
  ON CREATE SET f += row.evidence
MERGE (s)-[u:USES]->(svc)
  ON CREATE SET u += row.evidence
