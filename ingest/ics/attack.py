"""Place an ICS request in MITRE ATT&CK for ICS.

The ids are those of ``queries/attack/techniques.json`` (the pinned list).
Choices, by the message's kind:

- write: T0855 Unauthorized Command Message and T0836 Modify Parameter (a
  register, tag, property or set point is changed);
- control (operate, single/double commands, PLC control services, freezes):
  T0855; DNP3 disabling unsolicited responses adds T0878 Alarm Suppression;
- program_download: T0843 Program Download; program_upload: T0845;
- restart: T0816 Device Restart/Shutdown;
- mode_change: T0858 Change Operating Mode; a stop of the controller's
  program (S7 PLC Stop, UMAS STOP_PLC, CIP Stop, DNP3 Stop Application)
  adds T0816, since control stops as with a shutdown;
- forcing Modbus listen-only mode or BACnet deviceCommunicationControl
  silences the device: T0814 Denial of Service, with T0858;
- discovery (device identification, SZL, List Identity, Who-Is):
  T0888 Remote System Information Discovery and T0846 Remote System
  Discovery;
- other state-changing requests (file writes, diagnostics that clear
  counters, clock setting): T0855.

Reads and responses map to nothing here: reading process values is only
T0801 Monitor Process State in context, which a query decides.
"""

from __future__ import annotations

from icsgraph.ingest.ics.message import IcsMessage

WRITE = ("T0855", "T0836")
BY_KIND: dict[str, tuple[str, ...]] = {
    "write": WRITE,
    "control": ("T0855",),
    "program_download": ("T0843",),
    "program_upload": ("T0845",),
    "restart": ("T0816",),
    "mode_change": ("T0858",),
    "discovery": ("T0888", "T0846"),
}
# (protocol, function code, subfunction) of requests that stop the program.
STOPS = frozenset(
    {("s7comm", 0x29, None), ("modbus", 90, 0x41), ("cip", 0x07, None),
     ("dnp3", 18, None)}
)  # fmt: skip
SILENCES = frozenset({("modbus", 8, 4), ("bacnet", 17, None)})
ALARM_SUPPRESSION = frozenset({("dnp3", 21, None)})


def techniques_for(message: IcsMessage) -> tuple[str, ...]:
    """ATT&CK for ICS technique ids a request evidences, most specific first."""
    if not message.is_request:
        return ()
    key = (message.protocol, message.function_code, message.subfunction)
    if key in SILENCES:
        return ("T0814", "T0858")
    if key in STOPS:
        return ("T0858", "T0816")
    found = BY_KIND.get(message.kind, ())
    if key in ALARM_SUPPRESSION:
        found = (*found, "T0878")
    if not found and message.state_changing:
        found = ("T0855",)
    return found
