// title: Illegal ICS commands
// description: ICS commands from a host that is not a known master of that
//   device, or that the device rejected or answered with an exception, or
//   whose function is not defined. Known masters are the hosts that sent
//   commands to the same device address in a baseline case, and the
//   addresses listed in masters.
// param baseline: str, default null -- a case of normal traffic
// param masters: list[str], threshold illegal_ics.masters -- addresses always
//   allowed to command (the thresholds file's [illegal_ics] masters list)
// returns: master, device, protocol, function_code, function, command_kind,
//   status, reasons, session, hosts, evidence, capture, first_frame,
//   last_frame, first_seen, last_seen
// attack: T0855
// finding: illegal_ics_command
// confidence: 0.7
// step: 12
// limitations: With neither a baseline nor a masters list, the master check
//   is skipped and only rejected or undefined functions are reported. A
//   baseline case must cover the same device addresses.
MATCH (c:Host {case: $case})-[:OPENED]->(s:Session)-[:TO]->(v:Host),
      (s)-[:YIELDED]->(a:Artifact {kind: 'ics_command'})
WITH c, v, s, a,
     [(m:Host {case: $baseline})-[:OPENED]->(b:Session)-[:TO]->
       (d:Host {case: $baseline})
       WHERE d.ip = v.ip
         AND EXISTS { (b)-[:YIELDED]->(:Artifact {kind: 'ics_command'}) }
       | m.ip] AS baseline_masters
WITH c, v, s, a, [r IN [
    CASE WHEN ($baseline IS NOT NULL OR size($masters) > 0)
      AND NOT c.ip IN baseline_masters + $masters THEN 'unknown master' END,
    CASE WHEN a.status IN ['rejected', 'exception'] THEN a.status END,
    CASE WHEN a.function IS NULL OR a.function = 'unknown'
      THEN 'undefined function' END
  ] WHERE r IS NOT NULL] AS reasons
WHERE size(reasons) > 0
RETURN c.ip AS master, v.ip AS device, a.protocol AS protocol,
       a.function_code AS function_code, a.function AS function,
       a.command_kind AS command_kind, a.status AS status, reasons,
       s.key AS session, [c.ip, v.ip] AS hosts, [a.key, s.key] AS evidence,
       a.capture AS capture, a.first_frame AS first_frame,
       reduce(m = a.first_frame, f IN coalesce(a.frames, []) |
         CASE WHEN f > m THEN f ELSE m END) AS last_frame,
       a.first_seen AS first_seen, a.first_seen AS last_seen
ORDER BY first_seen, session, first_frame
