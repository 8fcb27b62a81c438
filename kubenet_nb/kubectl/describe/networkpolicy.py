"""`kubectl describe` for NetworkPolicies.

Follows k8s.io/kubectl/pkg/describe/describe.go (`describeNetworkPolicy`,
`describeNetworkPolicySpec`, `printNetworkPolicySpecIngressFrom`, `printNetworkPolicySpecEgressTo`,
`policyTypesToString`). kubectl prints no events for a NetworkPolicy, and its creation time with
Go's `time.Time.String()` in the client's zone (UTC here).
"""

from __future__ import annotations

from datetime import timezone

from kubenet_nb.kubectl.describe.writer import Writer, print_annotations, print_labels
from kubenet_nb.kubectl.printers.age import parse_time
from kubenet_nb.kubectl.printers.workloads import selector_text

__all__ = ["describe_networkpolicy"]

_INDENT = "    "


def _selector(selector: dict) -> str:
    """`metav1.FormatLabelSelector`."""
    return selector_text(selector, "<error>") or "<none>"


def _created(stamp: str | None) -> str:
    """`metav1.Time.String()`: `2006-01-02 15:04:05 +0000 UTC` (zero time when unset)."""
    if not stamp:
        return "0001-01-01 00:00:00 +0000 UTC"
    return parse_time(stamp).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S +0000 UTC")


def _ports(w: Writer, ports: list[dict]) -> None:
    if not ports:
        w.write(0, f"{_INDENT}To Port: <any> (traffic allowed to all ports)\n")
    for port in ports:
        number = "<nil>" if port.get("port") is None else str(port["port"])
        protocol = port.get("protocol") or "TCP"
        if port.get("endPort") is None:
            w.write(0, f"{_INDENT}To Port: {number}/{protocol}\n")
        else:
            w.write(0, f"{_INDENT}To Port Range: {number}-{port['endPort']}/{protocol}\n")


def _peers(w: Writer, title: str, peers: list[dict], anyone: str) -> None:
    if not peers:
        w.write(0, f"{_INDENT}{title}: <any> ({anyone})\n")
    for peer in peers:
        w.write(0, f"{_INDENT}{title}:\n")
        pods, namespaces = peer.get("podSelector"), peer.get("namespaceSelector")
        if namespaces is not None:
            w.write(1, f"{_INDENT}NamespaceSelector: {_selector(namespaces)}\n")
        if pods is not None:
            w.write(1, f"{_INDENT}PodSelector: {_selector(pods)}\n")
        if pods is None and namespaces is None and peer.get("ipBlock") is not None:
            block = peer["ipBlock"]
            w.write(1, f"{_INDENT}IPBlock:\n")
            w.write(2, f"{_INDENT}CIDR: {block.get('cidr', '')}\n")
            w.write(2, f"{_INDENT}Except: {', '.join(block.get('except') or [])}\n")


def _rules(w: Writer, rules: list[dict], peers: str, title: str, direction: str) -> None:
    """The rules of one direction, `----------` between them."""
    if not rules:
        w.write(0, f"{_INDENT}<none> (Selected pods are isolated for {direction} connectivity)\n")
    anyone = "traffic not restricted by " + ("source" if direction == "ingress" else "destination")
    for i, rule in enumerate(rules):
        _ports(w, rule.get("ports") or [])
        _peers(w, title, rule.get(peers) or [], anyone)
        if i != len(rules) - 1:
            w.write(0, f"{_INDENT}----------\n")


def describe_networkpolicy(policy: dict) -> str:
    """`describeNetworkPolicy`: the selected pods and the traffic allowed in each direction."""
    meta, spec = policy.get("metadata", {}), policy.get("spec") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"Created on:\t{_created(meta.get('creationTimestamp'))}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, "Spec:\n")
    w.write(1, "PodSelector: ")
    selector = spec.get("podSelector") or {}
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        w.write(2, "<none> (Allowing the specific traffic to all pods in this namespace)\n")
    else:
        w.write(2, f"{_selector(selector)}\n")
    types = spec.get("policyTypes") or []
    if "Ingress" in types:
        w.write(1, "Allowing ingress traffic:\n")
        _rules(w, spec.get("ingress") or [], "from", "From", "ingress")
    else:
        w.write(1, "Not affecting ingress traffic\n")
    if "Egress" in types:
        w.write(1, "Allowing egress traffic:\n")
        _rules(w, spec.get("egress") or [], "to", "To", "egress")
    else:
        w.write(1, "Not affecting egress traffic\n")
    w.write(1, f"Policy Types: {', '.join(types) or '<none>'}\n")
    return w.text()
