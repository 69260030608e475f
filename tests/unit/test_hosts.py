"""Host and MAC aggregation, and offline OUI vendors."""

from __future__ import annotations

from icsgraph.ingest.hosts import NAME_CAP, HostTracker, is_device_mac
from icsgraph.ingest.oui import vendor_for
from icsgraph.ingest.records import Frame, L2Info

PLC_MAC, HMI_MAC = "00:0e:8c:00:00:01", "00:1d:9c:00:00:02"


def ip_frame(number: int, src: str, dst: str, mac: str | None = HMI_MAC) -> Frame:
    return Frame(
        number=number, time=float(number), wire_len=100, link_type=1,
        src_mac=mac, dst_mac="ff:ff:ff:ff:ff:ff", ip_version=4, src_ip=src,
        dst_ip=dst, ip_proto=17,
    )  # fmt: skip


def test_hosts_count_both_roles_and_keep_sender_macs() -> None:
    tracker = HostTracker("c" * 64)
    tracker.add(ip_frame(1, "10.0.0.2", "10.0.0.1"))
    tracker.add(ip_frame(2, "10.0.0.1", "10.0.0.2", PLC_MAC))
    tracker.add(ip_frame(3, "10.0.0.2", "10.0.0.255"))

    hosts = {h.ip: h for h in tracker.hosts()}

    assert set(hosts) == {"10.0.0.1", "10.0.0.2", "10.0.0.255"}
    assert (hosts["10.0.0.2"].packets, hosts["10.0.0.2"].bytes) == (3, 300)
    assert hosts["10.0.0.2"].macs == (HMI_MAC,)
    assert hosts["10.0.0.255"].macs == ()
    assert (
        hosts["10.0.0.1"].evidence.first_frame,
        hosts["10.0.0.1"].evidence.last_frame,
    ) == (1, 2)


def test_tunnel_outer_addresses_are_hosts() -> None:
    tracker = HostTracker()
    frame = Frame(
        number=1, time=0.0, wire_len=80, link_type=101, src_ip="10.0.0.1",
        dst_ip="10.0.0.2", outer_ips=("192.0.2.1", "192.0.2.2"),
    )  # fmt: skip

    tracker.add(frame)

    assert {h.ip for h in tracker.hosts()} == {
        "10.0.0.1", "10.0.0.2", "192.0.2.1", "192.0.2.2",
    }  # fmt: skip


def test_macs_from_ethernet_and_layer_two() -> None:
    tracker = HostTracker()
    tracker.add(ip_frame(1, "10.0.0.2", "10.0.0.1"))
    arp = L2Info(protocol="arp", mac=PLC_MAC, ip="10.0.0.1")
    tracker.add(
        Frame(number=2, time=2.0, wire_len=60, link_type=1, src_mac=PLC_MAC, l2=arp)
    )
    dcp = L2Info(protocol="pn_dcp", mac=PLC_MAC, ip="10.0.0.1", name="et200sp")
    tracker.add(
        Frame(number=3, time=3.0, wire_len=60, link_type=1, src_mac=PLC_MAC, l2=dcp)
    )

    macs = {m.address: m for m in tracker.macs()}

    assert set(macs) == {PLC_MAC, HMI_MAC}
    assert macs[PLC_MAC].protocols == ("arp", "pn_dcp")
    assert macs[PLC_MAC].ips == ("10.0.0.1",)
    assert macs[PLC_MAC].names == ("et200sp",)
    assert macs[HMI_MAC].ips == ("10.0.0.2",)


def test_names_of_a_mac_are_capped() -> None:
    tracker = HostTracker()
    for number in range(1, NAME_CAP + 10):
        lldp = L2Info(protocol="lldp", mac=PLC_MAC, name=f"switch-{number:03d}")
        tracker.add(Frame(number=number, time=1.0, wire_len=60, link_type=1, l2=lldp))

    (mac,) = tracker.macs()

    assert mac.names == tuple(f"switch-{n:03d}" for n in range(1, NAME_CAP + 1))


def test_group_and_zero_macs_are_not_devices() -> None:
    assert not is_device_mac("ff:ff:ff:ff:ff:ff")
    assert not is_device_mac("01:80:c2:00:00:0e")
    assert not is_device_mac("00:00:00:00:00:00")
    assert is_device_mac(PLC_MAC)


def test_vendor_from_the_offline_registry() -> None:
    assert vendor_for(PLC_MAC) == "Siemens AG"
    assert vendor_for("00:1D:9C:AA:BB:CC") == "Rockwell Automation"
    assert vendor_for("02:00:00:00:00:01") is None  # locally administered
    assert vendor_for("01:00:5e:00:00:01") is None  # multicast
    assert vendor_for("not a mac") is None
