"""Table cells for the networking.k8s.io kinds, as the API server makes them.

kubernetes/kubernetes pkg/printers/internalversion/printers.go @ v1.33.0: `printIngress`
(`formatHosts`, `formatPorts`, `ingressLoadBalancerStatusStringer`), `printIngressClass`,
`printNetworkPolicy`, `printServiceCIDR` and `printIPAddress`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kubenet_nb.kubectl.printers import Column
from kubenet_nb.kubectl.printers.age import object_age
from kubenet_nb.kubectl.printers.printer import AGE, NAME, Printer, name, spec, status
from kubenet_nb.kubectl.printers.workloads import format_label_selector

__all__ = ["PRINTERS"]


def _hosts(rules: list[dict]) -> str:
    """`formatHosts`: up to three hosts; a rule met after the third adds `+ N more...`, where N
    counts rules beyond three; `*` when no rule names a host."""
    hosts: list[str] = []
    more = False
    for rule in rules:
        if len(hosts) == 3:
            more = True
            break
        if rule.get("host"):
            hosts.append(rule["host"])
    if not hosts:
        return "*"
    text = ",".join(hosts)
    return f"{text} + {len(rules) - 3} more..." if more else text


def _address(ingress: dict) -> str:
    """`ingressLoadBalancerStatusStringer` (the server passes wide=true: never cut short)."""
    found = {
        entry.get("ip") or entry.get("hostname")
        for entry in (status(ingress).get("loadBalancer") or {}).get("ingress") or []
    }
    return ",".join(sorted(v for v in found if v))


def _ingress_row(ingress: dict, now: datetime) -> list[Any]:
    class_name = spec(ingress).get("ingressClassName")
    return [
        name(ingress),
        "<none>" if class_name is None else class_name,
        _hosts(spec(ingress).get("rules") or []),
        _address(ingress),
        "80, 443" if spec(ingress).get("tls") else "80",
        object_age(ingress, now),
    ]


def _ingressclass_row(ic: dict, now: datetime) -> list[Any]:
    parameters = spec(ic).get("parameters")
    text = "<none>"
    if parameters is not None:
        text = parameters.get("kind", "")
        if parameters.get("apiGroup") is not None:
            text += "." + parameters["apiGroup"]
        text += "/" + parameters.get("name", "")
    return [name(ic), spec(ic).get("controller", ""), text, object_age(ic, now)]


def _networkpolicy_row(policy: dict, now: datetime) -> list[Any]:
    selector = spec(policy).get("podSelector") or {}
    return [name(policy), format_label_selector(selector), object_age(policy, now)]


def _servicecidr_row(cidr: dict, now: datetime) -> list[Any]:
    return [name(cidr), ",".join(spec(cidr).get("cidrs") or []), object_age(cidr, now)]


def _ipaddress_row(address: dict, now: datetime) -> list[Any]:
    """`printIPAddress`. It also appends an age cell, but IPAddress has no Age column and
    kubectl drops cells past the last column (cli-runtime printers/tableprinter.go)."""
    parent = spec(address).get("parentRef")
    text = "<none>"
    if parent is not None:
        group = parent.get("group", "")
        resource = parent.get("resource", "")
        text = (f"{resource}.{group}" if group else resource).lower()
        if parent.get("namespace"):
            text += "/" + parent["namespace"]
        text += "/" + parent.get("name", "")
    return [name(address), text]


PRINTERS = {
    "Ingress": Printer(
        (NAME, Column("Class"), Column("Hosts"), Column("Address"), Column("Ports"), AGE),
        _ingress_row,
    ),
    "IngressClass": Printer(
        (NAME, Column("Controller"), Column("Parameters"), AGE), _ingressclass_row
    ),
    "NetworkPolicy": Printer((NAME, Column("Pod-Selector"), AGE), _networkpolicy_row),
    "ServiceCIDR": Printer((NAME, Column("CIDRs"), AGE), _servicecidr_row),
    "IPAddress": Printer((NAME, Column("ParentRef")), _ipaddress_row),
}
