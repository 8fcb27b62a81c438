"""`kubectl describe` for ServiceCIDRs and IPAddresses (networking.k8s.io/v1).

Follows k8s.io/kubectl/pkg/describe/describe.go (`describeServiceCIDRV1`,
`describeIPAddressV1`).
"""

from __future__ import annotations

from datetime import datetime

from kubenet_nb.kubectl.describe.writer import describe_events, header, print_conditions_since

__all__ = ["describe_ipaddress", "describe_servicecidr"]


def describe_servicecidr(cidr: dict, events: list[dict] | None, now: datetime) -> str:
    """`describeServiceCIDRV1`: the CIDRs, then the status conditions if any."""
    w = header(cidr, namespace=False)
    w.write(0, f"CIDRs:\t{', '.join((cidr.get('spec') or {}).get('cidrs') or [])}\n")
    conditions = (cidr.get("status") or {}).get("conditions") or []
    if conditions:
        w.write(0, "Status:\n")
        print_conditions_since(w, conditions)
    if events is not None:
        describe_events(w, events, now)
    return w.text()


def describe_ipaddress(ip: dict, events: list[dict] | None, now: datetime) -> str:
    """`describeIPAddressV1`: the object the address is allocated to."""
    w = header(ip, namespace=False)
    parent = (ip.get("spec") or {}).get("parentRef")
    if parent is not None:
        w.write(0, "Parent Reference:\n")
        for title, field in (
            ("Group", "group"),
            ("Resource", "resource"),
            ("Namespace", "namespace"),
            ("Name", "name"),
        ):
            w.write(1, f"{title}:\t{parent.get(field, '')}\n")
    if events is not None:
        describe_events(w, events, now)
    return w.text()
