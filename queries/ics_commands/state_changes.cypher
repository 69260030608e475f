// title: ICS commands that change state
// description: ICS command messages parsed from the payload that write,
//   download or upload a program, restart, change the operating mode or
//   control the process (Modbus writes and UMAS, S7comm, DNP3, CIP, IEC-104,
//   BACnet), with function codes, the response status and the technique each
//   evidences.
// param suspect: str, default null -- only commands to or from this address
// param kinds: list[str], default ["write", "program_download",
//   "program_upload", "restart", "mode_change", "control", "file"]
//   -- command kinds listed
// returns: master, device, protocol, function_code, function, command_kind,
//   status, session, techniques, hosts, evidence, capture, first_frame,
//   last_frame, first_seen, last_seen
// attack: T0855, T0836, T0843, T0845, T0816, T0858
// finding: ics_command
// confidence: 0.8
// step: 12
// limitations: Only protocols with a parser in ingest/ics (Modbus, S7comm,
//   DNP3, ENIP/CIP, IEC-104, BACnet); what a write changed is not judged.
MATCH (c:Host {case: $case})-[:OPENED]->(s:Session)-[:TO]->(v:Host),
      (s)-[:YIELDED]->(a:Artifact {kind: 'ics_command'})
WHERE a.command_kind IN $kinds
  AND ($suspect IS NULL OR $suspect IN [c.ip, v.ip])
RETURN c.ip AS master, v.ip AS device, a.protocol AS protocol,
       a.function_code AS function_code, a.function AS function,
       a.command_kind AS command_kind, a.status AS status, s.key AS session,
       CASE a.command_kind
         WHEN 'write' THEN ['T0855', 'T0836']
         WHEN 'program_download' THEN ['T0843']
         WHEN 'program_upload' THEN ['T0845']
         WHEN 'restart' THEN ['T0816']
         WHEN 'mode_change' THEN ['T0858']
         ELSE ['T0855'] END AS techniques,
       [c.ip, v.ip] AS hosts, [a.key, s.key] AS evidence,
       a.capture AS capture, a.first_frame AS first_frame,
       reduce(m = a.first_frame, f IN coalesce(a.frames, []) |
         CASE WHEN f > m THEN f ELSE m END) AS last_frame,
       a.first_seen AS first_seen, a.first_seen AS last_seen
ORDER BY first_seen, session, first_frame
