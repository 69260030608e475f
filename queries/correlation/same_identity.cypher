// title: The same device identity in other cases
// description: Devices whose identity (vendor and serial number, the most
//   confident value of each that the artifacts gave: banners, Modbus device
//   identification, ENIP List Identity, S7 SZL, BACnet, PROFINET DCP) is
//   the same in this case and another, with the addresses the device had in
//   each and where the serial came from.
// param other: str, default null -- only this other case
// returns: vendor, serial, model, serial_source, other_case, host_here,
//   host_there
// step: 15
// limitations: Only devices that told their serial number in the capture;
//   vendor and serial may come from different artifacts of the same host
//   (a banner names the vendor, List Identity the serial). Two devices of one
//   vendor that report no real serial (all zeros) would be tied.
MATCH (h:Host {case: $case})
WHERE h.serial IS NOT NULL AND h.vendor IS NOT NULL
MATCH (o:Host {serial: h.serial, vendor: h.vendor})
WHERE o.case <> $case AND ($other IS NULL OR o.case = $other)
RETURN h.vendor AS vendor, h.serial AS serial, h.model AS model,
       h.serial_source AS serial_source, o.case AS other_case,
       h.ip AS host_here, o.ip AS host_there
ORDER BY other_case, vendor, serial, host_here
