// title: The same device identity in other cases
// description: Device identities (vendor and serial number, from banners,
//   Modbus device identification, ENIP ListIdentity, S7 SZL, BACnet,
//   PROFINET DCP) found in this case and another, with the addresses the
//   device had in each.
// param other: str, default null -- only this other case
// returns: vendor, serial, model, other_case, host_here, host_there
// step: 15
// limitations: Only devices that told their serial number in the capture.
MATCH (a:Artifact {case: $case})-[:ABOUT]->(h:Host)
WHERE a.serial IS NOT NULL AND a.vendor IS NOT NULL
MATCH (b:Artifact {serial: a.serial, vendor: a.vendor})-[:ABOUT]->(o:Host)
WHERE b.case <> $case AND ($other IS NULL OR b.case = $other)
RETURN DISTINCT a.vendor AS vendor, a.serial AS serial, a.model AS model,
       b.case AS other_case, h.ip AS host_here, o.ip AS host_there
ORDER BY other_case, vendor, serial
