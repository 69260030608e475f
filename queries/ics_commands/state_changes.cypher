// title: ICS commands that change state
// description: ICS command messages parsed from the payload that write,
//   download or upload a program, restart, change the operating mode, run a
//   state-changing diagnostic or control the process (Modbus writes,
//   diagnostics and UMAS, S7comm, DNP3, CIP, IEC-104, BACnet), one row per
//   request, with its frame, function code and sub-function, the response
//   status and the ATT&CK for ICS techniques the parser placed it in.
// param suspect: str, default null -- only commands to or from this address
// param also_kinds: list[str], default ["program_upload"] -- command kinds
//   listed even though they change nothing (an upload is listed with the
//   state changes it usually precedes)
// returns: master, device, protocol, function_code, subfunction, function,
//   command_kind, detail, status, status_code, frame, session, techniques,
//   hosts, evidence, capture, first_frame, last_frame, first_seen, last_seen
// attack: T0855, T0836, T0843, T0845, T0816, T0858, T0814, T0878
// finding: ics_command
// confidence: 0.8
// step: 12
// limitations: Only protocols with a parser in ingest/ics (Modbus, S7comm,
//   DNP3, ENIP/CIP, IEC-104, BACnet); what a write changed is not judged.
//   A request sent from the server's side is listed with the server as
//   master. Several requests in one frame (CIP Multiple Service Packet, Modbus
//   pipelining) are one row each, with the same frame.
MATCH (c:Host {case: $case})-[:OPENED]->(s:Session)-[:TO]->(v:Host),
      (s)-[:YIELDED]->(a:Artifact {kind: 'ics_command'})
WHERE (a.state_changing = 1 OR a.command_kind IN $also_kinds)
  AND ($suspect IS NULL OR $suspect IN [c.ip, v.ip])
WITH c, v, s, a, a.about = 'client' AS reversed
WITH s, a, CASE WHEN reversed THEN v ELSE c END AS m,
     CASE WHEN reversed THEN c ELSE v END AS d
RETURN m.ip AS master, d.ip AS device, a.protocol AS protocol,
       a.function_code AS function_code, a.subfunction AS subfunction,
       a.function AS function, a.command_kind AS command_kind,
       a.detail AS detail, a.status AS status, a.status_code AS status_code,
       a.first_frame AS frame, s.key AS session,
       [t IN split(coalesce(a.techniques, ''), ',') WHERE t <> ''] AS techniques,
       [m.ip, d.ip] AS hosts, [a.key, s.key] AS evidence,
       a.capture AS capture, a.first_frame AS first_frame,
       a.last_frame AS last_frame, a.first_seen AS first_seen,
       a.last_seen AS last_seen
ORDER BY first_seen, session, first_frame
