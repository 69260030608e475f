// title: ARP sweeps
// description: One MAC asking ARP who-has for at least min_addresses
//   distinct addresses of one /16 within window seconds (nmap -sn on a LAN):
//   the MAC, the address it claims, the /16, how many addresses it asked for
//   in all and in its busiest window.
// param suspect: str, default null -- only this MAC or claimed address
// param min_addresses: int, threshold arp_sweep.min_addresses -- distinct
//   addresses asked for in the window
// param window: float, threshold arp_sweep.window -- seconds
// returns: scanner, mac, vendor, network, addresses, addresses_in_window,
//   over_cap, scan_kind, probed, probed_unit, hosts, evidence, capture,
//   first_frame, last_frame, first_seen, last_seen
// attack: T0846
// finding: arp_sweep
// confidence: 0.8
// step: 13
// limitations: Counted per capture from each target's first request, kept
//   per whole second: a window covers the seconds from its first one to
//   window seconds later, so it may count one second less than an exact
//   sliding window, and first_seen/last_seen are the window's bounds to the
//   second within the MAC's sighting. Who answered is not counted (the
//   replies' senders are in scanning/arp_activity). Past 65,536 addresses
//   per MAC the rest are counted in over_cap, not told apart. The scanner is
//   the address its requests claimed; with none (ARP probes from 0.0.0.0)
//   the finding involves no host.
MATCH (:Case {id: $case})-[:HAS_CAPTURE]->(c:Capture)
      -[r:SAW {case: $case, kind: 'mac'}]->(m:Mac)
WHERE r.arp_targets >= $min_addresses
  AND ($suspect IS NULL OR m.address = $suspect OR $suspect IN r.arp_senders)
WITH c, r, m, [i IN range(0, size(r.arp_seconds) - 1) |
       {net: r.arp_networks[i], t: r.arp_seconds[i], n: r.arp_counts[i],
        first: r.arp_first_frames[i], last: r.arp_last_frames[i]}] AS es
UNWIND es AS anchor
WITH c, r, m, es, anchor.net AS network,
     [e IN es WHERE e.net = anchor.net
       AND anchor.t <= e.t < anchor.t + $window] AS win
WITH c, r, m, es, network, win,
     reduce(n = 0, e IN win | n + e.n) AS in_window
ORDER BY in_window DESC, win[0].t
WITH c, r, m, es, collect({network: network, win: win, n: in_window})[0] AS best
WHERE best.n >= $min_addresses
WITH c, r, m, best, best.win AS win,
     reduce(n = 0, e IN es |
       CASE WHEN e.net = best.network THEN n + e.n ELSE n END) AS addresses,
     [ip IN r.arp_senders WHERE EXISTS {
       (:Host {case: $case, ip: ip})-[:HAS_MAC]->(m) }] AS owned
WITH c, r, m, best, win, addresses,
     coalesce(owned[0], r.arp_senders[0]) AS scanner
RETURN scanner, m.address AS mac, m.vendor AS vendor,
       best.network AS network,
       addresses,
       best.n AS addresses_in_window, r.arp_over_cap AS over_cap,
       'arp sweep' AS scan_kind, best.n AS probed, 'addresses' AS probed_unit,
       [ip IN [scanner] WHERE ip IS NOT NULL] AS hosts,
       [$case + '|' + left(c.sha256, 12) + '|mac|' + m.address] AS evidence,
       c.sha256 AS capture, win[0].first AS first_frame,
       reduce(f = 0, e IN win | CASE WHEN e.last > f THEN e.last ELSE f END)
         AS last_frame,
       CASE WHEN r.first_seen > win[0].t THEN r.first_seen
         ELSE toFloat(win[0].t) END AS first_seen,
       CASE WHEN r.last_seen < win[-1].t + 1 THEN r.last_seen
         ELSE toFloat(win[-1].t + 1) END AS last_seen
ORDER BY probed DESC, mac
