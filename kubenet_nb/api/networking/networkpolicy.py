"""NetworkPolicies (networking.k8s.io/v1): defaults, validation and generation.

pkg/apis/networking/v1/defaults.go (SetDefaults_NetworkPolicy, SetDefaults_NetworkPolicyPort),
pkg/apis/networking/validation/validation.go (ValidateNetworkPolicySpec, ValidateNetworkPolicyPort,
ValidateNetworkPolicyPeer, ValidateIPBlock; the StrictIPCIDRValidation gate off) and
pkg/registry/networking/networkpolicy/strategy.go (generation 1, bumped on spec change) @ v1.33.0.
ValidateNetworkPolicyUpdate is ValidateObjectMetaUpdate plus the same spec checks on the new object
(the label-value ratchet it allows cannot arise here: a create never stores an invalid selector).
"""

from __future__ import annotations

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.ip_addresses import parse_cidr_sloppy
from kubenet_nb.api.meta import GoValue, go_quote
from kubenet_nb.api.names import is_valid_port_name, is_valid_port_num
from kubenet_nb.api.selectors import validate_label_selector

__all__ = ["RULES", "default_network_policy", "validate_network_policy"]

_PROTOCOLS = ["TCP", "UDP", "SCTP"]
_POLICY_TYPES = ["Ingress", "Egress"]
_BAD_CIDR = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
_DIRECTIONS = (("ingress", "from"), ("egress", "to"))


def default_network_policy(obj: dict) -> None:
    """SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort: TCP ports, policy types."""
    spec = obj.setdefault("spec", {})
    # podSelector is a struct, not a pointer: the server always returns it, `{}` when omitted.
    spec.setdefault("podSelector", {})
    for direction, _ in _DIRECTIONS:
        for rule in spec.get(direction) or []:
            for port in rule.get("ports") or []:
                port.setdefault("protocol", "TCP")
    if not spec.get("policyTypes"):
        spec["policyTypes"] = ["Ingress", *(["Egress"] if spec.get("egress") else [])]


def _validate_ip_block(block: dict, field: str) -> list[FieldError]:
    """ValidateIPBlock: a CIDR, and excepts that are strict subsets of it."""
    cidr_text = block.get("cidr") or ""
    if not cidr_text:
        return [FieldError.required(f"{field}.cidr")]
    cidr = parse_cidr_sloppy(cidr_text)
    if cidr is None:
        return [FieldError.invalid(f"{field}.cidr", cidr_text, _BAD_CIDR)]
    errs: list[FieldError] = []
    for i, except_text in enumerate(block.get("except") or []):
        path = f"{field}.except[{i}]"
        excepted = parse_cidr_sloppy(except_text)
        if excepted is None:
            errs.append(FieldError.invalid(path, except_text, _BAD_CIDR))
        elif (
            excepted.version != cidr.version
            or excepted.network_address not in cidr
            or cidr.prefixlen >= excepted.prefixlen
        ):
            errs.append(FieldError.invalid(path, except_text, "must be a strict subset of `cidr`"))
    return errs


def _validate_peer(peer: dict, field: str) -> list[FieldError]:
    """ValidateNetworkPolicyPeer: at least one peer kind; an ipBlock stands alone."""
    errs: list[FieldError] = []
    for key in ("podSelector", "namespaceSelector"):
        errs.extend(validate_label_selector(peer.get(key), f"{field}.{key}"))
    if peer.get("ipBlock") is not None:
        errs.extend(_validate_ip_block(peer["ipBlock"], f"{field}.ipBlock"))
    count = sum(peer.get(k) is not None for k in ("podSelector", "namespaceSelector", "ipBlock"))
    if count == 0:
        errs.append(FieldError.required(field, "must specify a peer"))
    elif count > 1 and peer.get("ipBlock") is not None:
        errs.append(FieldError.forbidden(field, "may not specify both ipBlock and another peer"))
    return errs


def _validate_port(port: dict, field: str) -> list[FieldError]:
    """ValidateNetworkPolicyPort: protocol, number or name, and the endPort range."""
    errs: list[FieldError] = []
    protocol, number, end = port.get("protocol"), port.get("port"), port.get("endPort")
    if protocol is not None and protocol not in _PROTOCOLS:
        errs.append(FieldError.not_supported(f"{field}.protocol", protocol, _PROTOCOLS))
    if number is None:
        if end is not None:
            errs.append(
                FieldError.invalid(
                    f"{field}.endPort", end, "may not be specified when `port` is not specified"
                )
            )
    elif isinstance(number, int):
        errs.extend(
            FieldError.invalid(f"{field}.port", number, m) for m in is_valid_port_num(number)
        )
        if end is not None:
            if end < number:
                # v1.33 shows `port`'s value here (kubernetes PR #137960 later shows endPort's).
                errs.append(
                    FieldError.invalid(
                        f"{field}.endPort", number, "must be greater than or equal to `port`"
                    )
                )
            errs.extend(
                FieldError.invalid(f"{field}.endPort", end, m) for m in is_valid_port_num(end)
            )
    else:
        if end is not None:
            errs.append(
                FieldError.invalid(
                    f"{field}.endPort", end, "may not be specified when `port` is non-numeric"
                )
            )
        errs.extend(
            FieldError.invalid(f"{field}.port", number, m) for m in is_valid_port_name(number)
        )
    return errs


def _validate_policy_types(types: list[str]) -> list[FieldError]:
    """At most two policy types, each Ingress or Egress (duplicates are not refused)."""
    if len(types) > len(_POLICY_TYPES):
        shown = ", ".join(go_quote(t) for t in types)
        return [
            FieldError.invalid(
                "spec.policyTypes",
                GoValue(f"[]networking.PolicyType{{{shown}}}"),
                "may not specify more than two policyTypes",
            )
        ]
    return [
        FieldError.not_supported(f"spec.policyTypes[{i}]", kind, _POLICY_TYPES)
        for i, kind in enumerate(types)
        if kind not in _POLICY_TYPES
    ]


def validate_network_policy(obj: dict) -> list[FieldError]:
    """ValidateNetworkPolicySpec: the pod selector, each rule's ports then peers, the types."""
    spec = obj.get("spec") or {}
    errs = validate_label_selector(spec.get("podSelector") or {}, "spec.podSelector")
    for direction, peers in _DIRECTIONS:
        for i, rule in enumerate(spec.get(direction) or []):
            path = f"spec.{direction}[{i}]"
            for j, port in enumerate(rule.get("ports") or []):
                errs.extend(_validate_port(port, f"{path}.ports[{j}]"))
            for j, peer in enumerate(rule.get(peers) or []):
                errs.extend(_validate_peer(peer, f"{path}.{peers}[{j}]"))
    return errs + _validate_policy_types(spec.get("policyTypes") or [])


RULES = (
    KindRules(
        "NetworkPolicy",
        default=default_network_policy,
        validate=validate_network_policy,
        generation=True,
    ),
)
