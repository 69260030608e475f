// title: Address sweeps
// description: One source opening sessions to at least min_addresses distinct
//   IPv4 addresses of one /16 within window seconds: the sweeper, the /16,
//   how many addresses it tried in all and in its busiest window, how many
//   answered.
// param suspect: str, default null -- only this source address
// param min_addresses: int, threshold address_sweep.min_addresses -- distinct
//   addresses in the window
// param window: float, threshold address_sweep.window -- seconds
// param max_probe_packets: int, threshold address_sweep.max_probe_packets
//   -- longer sessions are not counted as probes
// returns: scanner, network, addresses, addresses_in_window, answered,
//   ports, sessions, scan_kind, probed, probed_unit, hosts, evidence, capture, first_frame, last_frame,
//   first_seen, last_seen
// attack: T0846
// finding: address_sweep
// confidence: 0.8
// step: 13
// limitations: Built from TCP and UDP sessions only: ICMP echo and ARP
//   requests are not sessions, so a ping or ARP sweep (nmap -sn on a LAN) is
//   not seen here, only the TCP or UDP probes that follow it to the live
//   hosts; ARP sweeps are scanning/arp_sweep's, ICMP sweeps are not counted.
//   IPv6 is not grouped.
MATCH (a:Host {case: $case})-[:OPENED]->(s:Session)-[:TO]->(b:Host)
WHERE ($suspect IS NULL OR a.ip = $suspect) AND s.packets <= $max_probe_packets
  AND b.ip CONTAINS '.'
  AND NOT b.ip ENDS WITH '.255'
WITH a, s, split(b.ip, '.') AS o
WITH a, o[0] + '.' + o[1] + '.0.0/16' AS network, collect(s) AS ss
WHERE size(ss) >= $min_addresses
UNWIND ss AS anchor
UNWIND ss AS x
WITH a, network, anchor.first_seen AS start, x
WHERE start <= x.first_seen <= start + $window
WITH a, network, start, count(DISTINCT x.dst_ip) AS addresses
ORDER BY addresses DESC, start
WITH a, network, collect(start)[0] AS start,
     max(addresses) AS addresses_in_window
WHERE addresses_in_window >= $min_addresses
MATCH (a)-[:OPENED]->(s:Session)-[:TO]->(b:Host)
WHERE s.packets <= $max_probe_packets
  AND b.ip STARTS WITH substring(network, 0, size(network) - 7) + '.'
  AND NOT b.ip ENDS WITH '.255'
WITH a, network, addresses_in_window, s, start,
     start <= s.first_seen <= start + $window AS inside
ORDER BY s.first_seen
WITH a, network, addresses_in_window, count(DISTINCT s.dst_ip) AS addresses,
     collect(CASE WHEN inside THEN s END) AS win,
     collect(DISTINCT CASE WHEN s.state IN ['answered', 'established', 'closed']
       THEN s.dst_ip END) AS up,
     collect(DISTINCT s.dst_port) AS ports
RETURN a.ip AS scanner, network, addresses, addresses_in_window,
       size(up) AS answered, ports[..20] AS ports, size(win) AS sessions,
       'address sweep' AS scan_kind, addresses AS probed,
       'addresses' AS probed_unit,
       [a.ip] + [ip IN up | ip][..50] AS hosts,
       [s IN win | s.key] AS evidence, win[0].capture AS capture,
       win[0].first_frame AS first_frame,
       reduce(m = 0, s IN win |
         CASE WHEN s.last_frame > m THEN s.last_frame ELSE m END) AS last_frame,
       win[0].first_seen AS first_seen,
       reduce(m = 0.0, s IN win |
         CASE WHEN s.last_seen > m THEN s.last_seen ELSE m END) AS last_seen
ORDER BY addresses DESC, scanner
