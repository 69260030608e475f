// title: Conversations of a host
// description: Wireshark's Conversations table limited to the suspect: one row
//   per TCP stream or UDP conversation it took part in, client first, with
//   packets and bytes each way, state, start and duration.
// param suspect: str, required -- the host's IP address
// param transport: str, default null -- tcp or udp (both if null)
// returns: session, transport, src_ip, src_port, dst_ip, dst_port, protocol,
//   state, packets, bytes, packets_out, bytes_out, packets_in, bytes_in,
//   first_seen, duration, first_frame, last_frame
// step: 6
// limitations: ICMP and non-IP traffic make no session. Sessions are oriented
//   client to server, where Wireshark orders addresses as first seen.
MATCH (h:Host {case: $case, ip: $suspect})-[:OPENED|TO]-(s:Session)
WHERE $transport IS NULL OR s.transport = $transport
RETURN s.key AS session, s.transport AS transport, s.src_ip AS src_ip,
       s.src_port AS src_port, s.dst_ip AS dst_ip, s.dst_port AS dst_port,
       s.protocol AS protocol, s.state AS state, s.packets AS packets,
       s.bytes AS bytes, s.packets_out AS packets_out,
       s.bytes_out AS bytes_out, s.packets_in AS packets_in,
       s.bytes_in AS bytes_in, s.first_seen AS first_seen,
       s.last_seen - s.first_seen AS duration, s.first_frame AS first_frame,
       s.last_frame AS last_frame
ORDER BY first_seen, session
