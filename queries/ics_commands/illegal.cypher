// title: Illegal ICS commands
// description: ICS commands from a host that is not a known master of that
//   device, commands the device rejected or answered with an exception, and
//   functions (any, reads too) that drew exception or rejected responses or
//   that the protocol does not define. Known masters are the hosts that sent
//   ICS requests to the same device address in a baseline case, and the
//   addresses listed in masters.
// param baseline: str, default null -- a case of normal traffic
// param masters: list[str], threshold illegal_ics.masters -- addresses always
//   allowed to command (the thresholds file's [illegal_ics] masters list)
// param ics_ports: list[int], default [502, 102, 44818, 2222, 20000, 2404,
//   47808, 4840, 34964, 1911, 789, 9600, 5007, 18245, 1962, 20547, 5094, 2455]
//   -- server ports of ICS services; a session opened from one of them (a
//   device calling its master back) has its ends swapped
// returns: master, device, protocol, function_code, function, command_kind,
//   status, reasons, session, hosts, evidence, capture, first_frame,
//   last_frame, first_seen, last_seen
// attack: T0855
// finding: illegal_ics_command
// confidence: 0.7
// step: 12
// limitations: With neither a baseline nor a masters list, the master check
//   is skipped and only rejected, exception or undefined functions are
//   reported. A baseline case must cover the same device addresses. A
//   function is undefined when the parser has no name for it (Modbus, DNP3,
//   S7comm "Unknown", BACnet "service N"); CIP class-specific services the
//   parser does not name are vendor-defined, not undefined. Responses are
//   counted per function and session (first frame of the function), not
//   listed frame by frame.
CALL () {
  MATCH (c:Host {case: $case})-[:OPENED]->(s:Session)-[:TO]->(v:Host),
        (s)-[:YIELDED]->(a:Artifact {kind: 'ics_command'})
  WITH s, a, CASE WHEN a.about = 'client' THEN v ELSE c END AS m,
       CASE WHEN a.about = 'client' THEN c ELSE v END AS d
  WITH s, a, m, d,
       [(bm:Host {case: $baseline})-[:OPENED]->(b:Session)-[:TO]->
         (:Host {case: $baseline, ip: d.ip})
         WHERE EXISTS { (b)-[:YIELDED]->(:Artifact {kind: 'ics_functions'}) }
         | bm.ip] AS known
  WITH s, a, m, d, [r IN [
      CASE WHEN ($baseline IS NOT NULL OR size($masters) > 0)
        AND NOT m.ip IN known + $masters THEN 'unknown master' END,
      CASE WHEN a.status IN ['rejected', 'exception'] THEN a.status END,
      CASE WHEN coalesce(a.function, '') = '' OR a.function STARTS WITH 'Unknown'
        OR a.function STARTS WITH 'service ' THEN 'undefined function' END
    ] WHERE r IS NOT NULL] AS reasons
  WHERE size(reasons) > 0
  RETURN m, d, s, a, a.function_code AS function_code, a.function AS function,
         a.command_kind AS command_kind, a.status AS status, reasons,
         a.first_frame AS first_frame, a.last_frame AS last_frame
  UNION ALL
  MATCH (c:Host {case: $case})-[:OPENED]->(s:Session)-[:TO]->(v:Host),
        (s)-[:YIELDED]->(a:Artifact {kind: 'ics_functions'})
  UNWIND CASE WHEN a.function IS :: STRING THEN [a.function]
         ELSE coalesce(a.function, []) END AS entry
  WITH c, v, s, a, split(entry, ':')[0] AS fkey,
       substring(entry, size(split(entry, ':')[0]) + 1) AS function
  WITH s, a, fkey, function,
       s.src_port IN $ics_ports AND NOT s.dst_port IN $ics_ports AS reversed,
       c, v
  WITH CASE WHEN reversed THEN v ELSE c END AS m,
       CASE WHEN reversed THEN c ELSE v END AS d, s, a, fkey, function,
       toInteger(split(fkey, '/')[0]) AS function_code,
       [e IN coalesce(a.extra, []) WHERE e STARTS WITH 'errors:' + fkey + '='
         | toInteger(split(e, '=')[1])] AS errors
  WITH m, d, s, a, function_code, function, [r IN [
      CASE WHEN size(errors) > 0 THEN 'error responses: ' + toString(errors[0])
        END,
      CASE WHEN function = '' OR function STARTS WITH 'Unknown'
        OR function STARTS WITH 'service ' THEN 'undefined function' END
    ] WHERE r IS NOT NULL] AS reasons
  WHERE size(reasons) > 0
    AND NOT EXISTS {
      (s)-[:YIELDED]->(x:Artifact {kind: 'ics_command', protocol: a.protocol})
      WHERE x.function_code = function_code
    }
  RETURN m, d, s, a, function_code, function, null AS command_kind,
         'exception' AS status, reasons, a.first_frame AS first_frame,
         a.last_frame AS last_frame
}
RETURN m.ip AS master, d.ip AS device, a.protocol AS protocol, function_code,
       function, command_kind, status, reasons, s.key AS session,
       [m.ip, d.ip] AS hosts, [a.key, s.key] AS evidence, a.capture AS capture,
       first_frame, last_frame, a.first_seen AS first_seen,
       a.last_seen AS last_seen
ORDER BY first_seen, session, first_frame
