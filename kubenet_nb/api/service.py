"""Service defaulting and validation, with the API server's field paths, wording and order.

Defaults follow pkg/apis/core/v1/defaults.go SetDefaults_Service. Validation follows
pkg/apis/core/validation/validation.go ValidateService / ValidateServiceUpdate (v1.33): errors are
appended in the order upstream appends them, and bad values print as Go's field errors print them.
The ipFamilies / ipFamilyPolicy defaults depend on the cluster and are set at allocation time
(kubenet_nb.cluster.service_registry), as upstream's service REST storage does.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import (
    GoValue,
    go_quote,
    name_is_dns1035_label,
    validate_dns1123_label,
    validate_labels,
    validate_object_meta,
    validate_object_meta_update,
    validate_qualified_name,
)
from kubenet_nb.api.names import (
    is_dns1123_subdomain,
    is_valid_ip,
    is_valid_port_name,
    is_valid_port_num,
)

__all__ = [
    "DEFAULT_CLIENT_IP_TIMEOUT",
    "default_service",
    "externally_accessible",
    "go_ip_families",
    "go_string_list",
    "is_headless",
    "needs_health_check",
    "service_warnings",
    "validate_cluster_ips_related_fields",
    "validate_non_special_ip",
    "validate_port_num_or_name",
    "validate_service",
    "validate_service_update",
]

DEFAULT_CLIENT_IP_TIMEOUT = 10800
"""core/v1 types.go DefaultClientIPServiceAffinitySeconds (3 hours)."""
MAX_CLIENT_IP_TIMEOUT = 86400
TOPOLOGY_MODE = "service.kubernetes.io/topology-mode"
TOPOLOGY_HINTS = "service.kubernetes.io/topology-aware-hints"
SOURCE_RANGES = "service.beta.kubernetes.io/load-balancer-source-ranges"
# sets.List(...) order: sorted.
PROTOCOLS = ["SCTP", "TCP", "UDP"]
AFFINITIES = ["ClientIP", "None"]
TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
TRAFFIC_POLICIES = ["Cluster", "Local"]
IP_FAMILIES = ["IPv4", "IPv6"]
IP_FAMILY_POLICIES = ["PreferDualStack", "RequireDualStack", "SingleStack"]
TRAFFIC_DISTRIBUTIONS = ["PreferClose"]
ONLY_LB = "may only be used when `type` is 'LoadBalancer'"
BAD_CIDR = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"


def externally_accessible(spec: dict) -> bool:
    """pkg/api/service/util.go ExternallyAccessible: LB, NodePort, or ClusterIP + externalIPs."""
    kind = spec.get("type")
    return kind in ("LoadBalancer", "NodePort") or (
        kind == "ClusterIP" and bool(spec.get("externalIPs"))
    )


def needs_health_check(spec: dict) -> bool:
    """pkg/api/service/util.go NeedsHealthCheck: LoadBalancer with externalTrafficPolicy Local."""
    return spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"


def is_headless(spec: dict) -> bool:
    """validation.go isHeadlessService: clusterIPs is exactly ["None"]."""
    return spec.get("clusterIPs") == ["None"]


def go_string_list(values: list[str] | None) -> Any:
    """A []string bad value: `[]string{"a"}`, or `[]string(nil)` when empty."""
    return list(values) if values else GoValue("[]string(nil)")


def go_ip_families(values: list[str] | None) -> GoValue:
    """A []core.IPFamily bad value as `%#v` prints it."""
    if not values:
        return GoValue("[]core.IPFamily(nil)")
    return GoValue("[]core.IPFamily{" + ", ".join(go_quote(v) for v in values) + "}")


def default_service(obj: dict) -> None:
    """SetDefaults_Service, in place."""
    spec = obj.setdefault("spec", {})
    if not spec.get("sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        client_ip = (spec.get("sessionAffinityConfig") or {}).get("clientIP") or {}
        if client_ip.get("timeoutSeconds") is None:
            spec["sessionAffinityConfig"] = {
                "clientIP": {"timeoutSeconds": DEFAULT_CLIENT_IP_TIMEOUT}
            }
    if not spec.get("type"):
        spec["type"] = "ClusterIP"
    for port in spec.get("ports") or []:
        if not port.get("protocol"):
            port["protocol"] = "TCP"
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port") or 0
    if externally_accessible(spec) and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if spec.get("internalTrafficPolicy") is None and spec["type"] in (
        "NodePort",
        "LoadBalancer",
        "ClusterIP",
    ):
        spec["internalTrafficPolicy"] = "Cluster"
    if spec["type"] == "LoadBalancer":
        if spec.get("allocateLoadBalancerNodePorts") is None:
            spec["allocateLoadBalancerNodePorts"] = True
        # LoadBalancerIPMode (GA): an ingress IP without ipMode gets VIP.
        for ingress in (obj.get("status") or {}).get("loadBalancer", {}).get("ingress") or []:
            if ingress.get("ip") and ingress.get("ipMode") is None:
                ingress["ipMode"] = "VIP"


def _go_port_key(protocol: str, port: int) -> GoValue:
    # field.Duplicate(portPath, core.ServicePort{Protocol, Port}) prints the struct with %#v.
    return GoValue(
        f'core.ServicePort{{Name:"", Protocol:{go_quote(protocol)}, '
        f"AppProtocol:(*string)(nil), Port:{port}, TargetPort:intstr.IntOrString"
        '{Type:0, IntVal:0, StrVal:""}, NodePort:0}'
    )


def _is_ipv6(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).version == 6
    except ValueError:
        return False


def _is_cidr(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return "/" in text


def _validate_ip(value: str, field: str) -> list[FieldError]:
    return [FieldError.invalid(field, value, msg) for msg in is_valid_ip(value)]


def validate_non_special_ip(value: str, field: str) -> list[FieldError]:
    """ValidateNonSpecialIP: no unspecified, loopback, link-local or link-local multicast IP."""
    address = ipaddress.ip_address(value)
    errs = []
    if address.is_unspecified:
        errs.append(FieldError.invalid(field, value, f"may not be unspecified ({value})"))
    if address.is_loopback:
        errs.append(
            FieldError.invalid(
                field, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)"
            )
        )
    if address.is_link_local:
        errs.append(
            FieldError.invalid(
                field, value, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"
            )
        )
    # net.IP.IsLinkLocalMulticast: 224.0.0.0/24, or ffX2::/16 whatever the flags nibble.
    if (address.version == 4 and address in ipaddress.ip_network("224.0.0.0/24")) or (
        address.version == 6 and int(address) >> 112 & 0xFF0F == 0xFF02
    ):
        errs.append(
            FieldError.invalid(
                field,
                value,
                "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)",
            )
        )
    return errs


def validate_port_num_or_name(value: Any, field: str) -> list[FieldError]:
    """ValidatePortNumOrName: an int 1-65535 or an IANA_SVC_NAME."""
    if isinstance(value, str):
        return [FieldError.invalid(field, value, msg) for msg in is_valid_port_name(value)]
    return [FieldError.invalid(field, value, msg) for msg in is_valid_port_num(value)]


def _validate_port(port: dict, require_name: bool, names: set[str], path: str) -> list[FieldError]:
    """validateServicePort."""
    errs: list[FieldError] = []
    name = port.get("name") or ""
    if require_name and not name:
        errs.append(FieldError.required(f"{path}.name"))
    elif name:
        errs.extend(validate_dns1123_label(name, f"{path}.name"))
        if name in names:
            errs.append(FieldError.duplicate(f"{path}.name", name))
        names.add(name)
    number = port.get("port") or 0
    errs.extend(
        FieldError.invalid(f"{path}.port", number, msg) for msg in is_valid_port_num(number)
    )
    protocol = port.get("protocol") or ""
    if not protocol:
        errs.append(FieldError.required(f"{path}.protocol"))
    elif protocol not in PROTOCOLS:
        errs.append(FieldError.not_supported(f"{path}.protocol", protocol, PROTOCOLS))
    errs.extend(validate_port_num_or_name(port.get("targetPort") or 0, f"{path}.targetPort"))
    if port.get("appProtocol") is not None:
        errs.extend(validate_qualified_name(port["appProtocol"], f"{path}.appProtocol"))
    return errs


def _validate_affinity(spec: dict) -> list[FieldError]:
    affinity = spec.get("sessionAffinity") or ""
    errs: list[FieldError] = []
    if not affinity:
        errs.append(FieldError.required("spec.sessionAffinity"))
    elif affinity not in AFFINITIES:
        errs.append(FieldError.not_supported("spec.sessionAffinity", affinity, AFFINITIES))
    path = "spec.sessionAffinityConfig"
    if affinity == "ClientIP":
        # validateClientIPAffinityConfig: each missing level stops the check.
        config = spec.get("sessionAffinityConfig")
        why = "when session affinity type is ClientIP"
        if config is None:
            return [*errs, FieldError.required(path, why)]
        if config.get("clientIP") is None:
            return [*errs, FieldError.required(f"{path}.clientIP", why)]
        timeout = config["clientIP"].get("timeoutSeconds")
        if timeout is None:
            return [*errs, FieldError.required(f"{path}.clientIP.timeoutSeconds", why)]
        if not 0 < timeout <= MAX_CLIENT_IP_TIMEOUT:
            errs.append(
                FieldError.invalid(
                    f"{path}.clientIP.timeoutSeconds",
                    timeout,
                    f"must be greater than 0 and less than {MAX_CLIENT_IP_TIMEOUT}",
                )
            )
    elif affinity == "None" and spec.get("sessionAffinityConfig") is not None:
        errs.append(FieldError.forbidden(path, "must not be set when session affinity is None"))
    return errs


def validate_cluster_ips_related_fields(obj: dict) -> list[FieldError]:
    """ValidateServiceClusterIPsRelatedFields: clusterIP(s), ipFamilies and ipFamilyPolicy."""
    spec = obj.get("spec") or {}
    if spec.get("type") == "ExternalName":
        return []
    errs: list[FieldError] = []
    cluster_ip = spec.get("clusterIP") or ""
    ips = list(spec.get("clusterIPs") or [])
    families = list(spec.get("ipFamilies") or [])
    if cluster_ip:
        if not ips:
            errs.append(FieldError.required("spec.clusterIPs"))
        elif ips[0] != cluster_ip:
            errs.append(
                FieldError.invalid("spec.clusterIPs", ips, "first value must match `clusterIP`")
            )
    elif ips:
        errs.append(
            FieldError.invalid(
                "spec.clusterIPs", ips, "must be empty when `clusterIP` is not specified"
            )
        )
    seen: set[str] = set()
    for i, family in enumerate(families):
        if family not in IP_FAMILIES:
            errs.append(FieldError.not_supported(f"spec.ipFamilies[{i}]", family, IP_FAMILIES))
        if family in seen:
            errs.append(FieldError.duplicate(f"spec.ipFamilies[{i}]", family))
        seen.add(family)
    policy = spec.get("ipFamilyPolicy")
    if policy is not None and policy not in IP_FAMILY_POLICIES:
        errs.append(FieldError.not_supported("spec.ipFamilyPolicy", policy, IP_FAMILY_POLICIES))
    invalid_ips = False
    for i, ip in enumerate(ips):
        if i == 0 and ip == "None":
            if len(ips) > 1:
                invalid_ips = True
                errs.append(
                    FieldError.invalid(
                        "spec.clusterIPs", ips, "'None' must be the first and only value"
                    )
                )
            continue
        ip_errs = _validate_ip(ip, f"spec.clusterIPs[{i}]")
        invalid_ips = invalid_ips or bool(ip_errs)
        errs.extend(ip_errs)
    if len(ips) > 2:
        errs.append(FieldError.invalid("spec.clusterIPs", ips, "may only hold up to 2 values"))
    if invalid_ips:
        return errs
    if len(ips) > 1 and len({_is_ipv6(ip) for ip in ips}) < 2:
        errs.append(
            FieldError.invalid(
                "spec.clusterIPs", ips, "may specify no more than one IP for each IP family"
            )
        )
    if not is_headless(spec) and ips and families:
        for i, ip in enumerate(ips[: len(families)]):
            if families[i] == "IPv4" and _is_ipv6(ip):
                errs.append(
                    FieldError.invalid(
                        f"spec.clusterIPs[{i}]",
                        ip,
                        f"expected an IPv4 value as indicated by `ipFamilies[{i}]`",
                    )
                )
            if families[i] == "IPv6" and not _is_ipv6(ip):
                errs.append(
                    FieldError.invalid(
                        f"spec.clusterIPs[{i}]",
                        ip,
                        f"expected an IPv6 value as indicated by `ipFamilies[{i}]`",
                    )
                )
    return errs


def _validate_type_specific(spec: dict, annotations: dict) -> list[FieldError]:
    """The checks ValidateService makes after the ports: types, nodePorts, LB-only fields."""
    errs: list[FieldError] = []
    kind = spec.get("type") or ""
    ports = spec.get("ports") or []
    if not kind:
        errs.append(FieldError.required("spec.type"))
    elif kind not in TYPES:
        errs.append(FieldError.not_supported("spec.type", kind, TYPES))
    if kind == "ClusterIP":
        errs.extend(
            FieldError.forbidden(
                f"spec.ports[{i}].nodePort", "may not be used when `type` is 'ClusterIP'"
            )
            for i, port in enumerate(ports)
            if port.get("nodePort")
        )
    node_ports: set[tuple[str, int]] = set()
    for i, port in enumerate(ports):
        if port.get("nodePort"):
            key = (port.get("protocol") or "", port["nodePort"])
            if key in node_ports:
                errs.append(FieldError.duplicate(f"spec.ports[{i}].nodePort", port["nodePort"]))
            node_ports.add(key)
    seen: set[tuple[str, int]] = set()
    for i, port in enumerate(ports):
        key = (port.get("protocol") or "", port.get("port") or 0)
        if key in seen:
            errs.append(FieldError.duplicate(f"spec.ports[{i}]", _go_port_key(*key)))
        seen.add(key)
    ranges = spec.get("loadBalancerSourceRanges") or []
    if ranges:
        path = "spec.LoadBalancerSourceRanges"  # sic: upstream's capital L
        if kind != "LoadBalancer":
            errs.append(FieldError.forbidden(path, ONLY_LB))
        errs.extend(
            FieldError.invalid(f"{path}[{i}]", value.strip(), BAD_CIDR)
            for i, value in enumerate(ranges)
            if not _is_cidr(value.strip())
        )
    elif SOURCE_RANGES in annotations:
        path = f"metadata.annotations[{SOURCE_RANGES}]"
        if kind != "LoadBalancer":
            errs.append(FieldError.forbidden(path, ONLY_LB))
        value = annotations[SOURCE_RANGES].strip()
        if value:
            errs.extend(
                FieldError.invalid(path, cidr.strip(), BAD_CIDR)
                for cidr in value.split(",")
                if not _is_cidr(cidr.strip())
            )
    if spec.get("allocateLoadBalancerNodePorts") is not None and kind != "LoadBalancer":
        errs.append(FieldError.forbidden("spec.allocateLoadBalancerNodePorts", ONLY_LB))
    if kind == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        errs.append(FieldError.required("allocateLoadBalancerNodePorts"))  # sic: no "spec."
    return errs


def _validate_load_balancer_class(spec: dict, old_spec: dict | None) -> list[FieldError]:
    """validateLoadBalancerClassField."""
    errs: list[FieldError] = []
    value = spec.get("loadBalancerClass")
    is_lb = spec.get("type") == "LoadBalancer"
    if (
        old_spec is not None
        and is_lb
        and old_spec.get("type") == "LoadBalancer"
        and old_spec.get("loadBalancerClass") != value
    ):
        errs.append(FieldError.invalid("spec.loadBalancerClass", value, "may not change once set"))
    if value is not None:
        if is_lb:
            errs.extend(validate_qualified_name(value, "spec.loadBalancerClass"))
        else:
            errs.append(FieldError.forbidden("spec.loadBalancerClass", ONLY_LB))
    return errs


def _validate_traffic(spec: dict) -> list[FieldError]:
    """validateServiceExternalTrafficPolicy, ...InternalTrafficFieldsValue, ...Distribution."""
    errs: list[FieldError] = []
    etp = spec.get("externalTrafficPolicy") or ""
    if not externally_accessible(spec):
        if etp:
            errs.append(
                FieldError.invalid(
                    "spec.externalTrafficPolicy",
                    etp,
                    "may only be set for externally-accessible services",
                )
            )
    elif not etp:
        errs.append(FieldError.required("spec.externalTrafficPolicy"))
    elif etp not in TRAFFIC_POLICIES:
        errs.append(FieldError.not_supported("spec.externalTrafficPolicy", etp, TRAFFIC_POLICIES))
    health = spec.get("healthCheckNodePort") or 0
    if not needs_health_check(spec):
        if health:
            errs.append(
                FieldError.invalid(
                    "spec.healthCheckNodePort",
                    health,
                    "may only be set when `type` is "
                    "'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
                )
            )
    elif not health:
        errs.append(FieldError.required("spec.healthCheckNodePort"))
    else:
        errs.extend(
            FieldError.invalid("spec.healthCheckNodePort", health, msg)
            for msg in is_valid_port_num(health)
        )
    itp = spec.get("internalTrafficPolicy")
    if itp is None and spec.get("type") in ("NodePort", "LoadBalancer", "ClusterIP"):
        errs.append(FieldError.required("spec.internalTrafficPolicy"))
    if itp is not None and itp not in TRAFFIC_POLICIES:
        errs.append(FieldError.not_supported("spec.internalTrafficPolicy", itp, TRAFFIC_POLICIES))
    distribution = spec.get("trafficDistribution")
    if distribution is not None and distribution not in TRAFFIC_DISTRIBUTIONS:
        errs.append(
            FieldError.not_supported(
                "spec.trafficDistribution", distribution, TRAFFIC_DISTRIBUTIONS
            )
        )
    return errs


def validate_service(obj: dict) -> list[FieldError]:
    """ValidateService: every error, in the order upstream appends them."""
    meta = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    annotations = meta.get("annotations") or {}
    errs = validate_object_meta(meta, True, name_is_dns1035_label)
    mode, hints = annotations.get(TOPOLOGY_MODE), annotations.get(TOPOLOGY_HINTS)
    if mode is not None and hints is not None and mode != hints:
        errs.append(
            FieldError.invalid(
                f"metadata.annotations[{TOPOLOGY_MODE}]",
                mode,
                f"must match annotations[{TOPOLOGY_HINTS}] when both are specified",
            )
        )
    ports = spec.get("ports") or []
    kind = spec.get("type") or ""
    headless = is_headless(spec)
    if not ports and not headless and kind != "ExternalName":
        errs.append(FieldError.required("spec.ports"))
    if kind in ("LoadBalancer", "NodePort") and headless:
        errs.append(
            FieldError.invalid(
                "spec.clusterIPs[0]", "None", f"may not be set to 'None' for {kind} services"
            )
        )
    elif kind == "ExternalName":
        for field in ("clusterIPs", "ipFamilies"):
            if spec.get(field):
                errs.append(
                    FieldError.forbidden(
                        f"spec.{field}", "may not be set for ExternalName services"
                    )
                )
        if spec.get("ipFamilyPolicy") is not None:
            errs.append(
                FieldError.forbidden(
                    "spec.ipFamilyPolicy", "may not be set for ExternalName services"
                )
            )
        cname = (spec.get("externalName") or "").removesuffix(".")
        if cname:
            errs.extend(
                FieldError.invalid("spec.externalName", cname, msg)
                for msg in is_dns1123_subdomain(cname)
            )
        else:
            errs.append(FieldError.required("spec.externalName"))
    names: set[str] = set()
    for i, port in enumerate(ports):
        errs.extend(_validate_port(port, len(ports) > 1, names, f"spec.ports[{i}]"))
    if spec.get("selector") is not None:
        errs.extend(validate_labels(spec["selector"], "spec.selector"))
    errs.extend(_validate_affinity(spec))
    errs.extend(validate_cluster_ips_related_fields(obj))
    for i, ip in enumerate(spec.get("externalIPs") or []):
        ip_errs = _validate_ip(ip, f"spec.externalIPs[{i}]")
        errs.extend(ip_errs or validate_non_special_ip(ip, f"spec.externalIPs[{i}]"))
    errs.extend(_validate_type_specific(spec, annotations))
    errs.extend(_validate_load_balancer_class(spec, None))
    errs.extend(_validate_traffic(spec))
    return errs


def _validate_cluster_ips_update(spec: dict, old_spec: dict) -> list[FieldError]:
    """validateUpgradeDowngradeClusterIPs."""
    if "ExternalName" in (spec.get("type"), old_spec.get("type")):
        return []
    if is_headless(spec) and is_headless(old_spec):
        return []
    new, old = list(spec.get("clusterIPs") or []), list(old_spec.get("clusterIPs") or [])
    errs: list[FieldError] = []
    shown = go_string_list(new)
    changed = "may not change once set"
    if len(new) == len(old):
        errs.extend(
            FieldError.invalid(f"spec.clusterIPs[{i}]", shown, changed)
            for i, ip in enumerate(old)
            if ip != new[i]
        )
    elif len(old) > len(new):
        if not new:
            errs.append(
                FieldError.invalid(
                    "spec.clusterIPs[0]", shown, "primary clusterIP can not be unset"
                )
            )
        if old and new and new[0] != old[0]:
            errs.append(FieldError.invalid("spec.clusterIPs[0]", shown, changed))
        if len(new) == 1 and spec.get("ipFamilyPolicy") != "SingleStack":
            errs.append(
                FieldError.invalid(
                    "spec.ipFamilyPolicy",
                    spec.get("ipFamilyPolicy"),
                    "must be set to 'SingleStack' when releasing the secondary clusterIP",
                )
            )
    elif old and new[0] != old[0]:
        errs.append(FieldError.invalid("spec.clusterIPs[0]", shown, changed))
    return errs


def _validate_ip_families_update(spec: dict, old_spec: dict) -> list[FieldError]:
    """validateUpgradeDowngradeIPFamilies (its odd choices of bad value included)."""
    if "ExternalName" in (spec.get("type"), old_spec.get("type")):
        return []
    if is_headless(spec) or is_headless(old_spec):
        return []
    new, old = list(spec.get("ipFamilies") or []), list(old_spec.get("ipFamilies") or [])
    ips = go_string_list(spec.get("clusterIPs"))
    errs: list[FieldError] = []
    changed = "may not change once set"
    if len(new) == len(old):
        errs.extend(
            FieldError.invalid("spec.ipFamilies[0]", go_ip_families(new), changed)
            for i, family in enumerate(old)
            if family != new[i]
        )
    elif len(old) > len(new):
        if not spec.get("clusterIPs"):
            errs.append(
                FieldError.invalid(
                    "spec.ipFamilies[0]", go_ip_families(new), "primary ipFamily can not be unset"
                )
            )
        if new and new[0] != old[0]:
            errs.append(FieldError.invalid("spec.ipFamilies[0]", ips, changed))
        if len(new) == 1 and spec.get("ipFamilyPolicy") != "SingleStack":
            errs.append(
                FieldError.invalid(
                    "spec.ipFamilyPolicy",
                    spec.get("ipFamilyPolicy"),
                    "must be set to 'SingleStack' when releasing the secondary ipFamily",
                )
            )
    elif old and new and new[0] != old[0]:
        errs.append(FieldError.invalid("spec.ipFamilies[0]", ips, changed))
    return errs


def validate_service_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateServiceUpdate: immutability rules first, then ValidateService on the new object."""
    spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    errs = validate_object_meta_update(new.get("metadata") or {}, old.get("metadata") or {})
    errs.extend(_validate_cluster_ips_update(spec, old_spec))
    errs.extend(_validate_ip_families_update(spec, old_spec))
    errs.extend(_validate_load_balancer_class(spec, old_spec))
    if (
        needs_health_check(old_spec)
        and needs_health_check(spec)
        and (spec.get("healthCheckNodePort") or 0) != (old_spec.get("healthCheckNodePort") or 0)
    ):
        errs.append(FieldError.forbidden("spec.healthCheckNodePort", "field is immutable"))
    errs.extend(validate_service(new))
    return errs


def service_warnings(obj: dict) -> list[str]:
    """pkg/api/service/warnings.go GetWarningsForService as of v1.33 (IP-format warnings aside).

    The headless-Service warnings (`spec.SessionAffinity is ignored for headless services`, ...)
    came with v1.34 (kubernetes/kubernetes#132214) and are not given.
    """
    spec = obj.get("spec") or {}
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    warnings = []
    if TOPOLOGY_HINTS in annotations:
        warnings.append(
            f"annotation {TOPOLOGY_HINTS} is deprecated, please use {TOPOLOGY_MODE} instead"
        )
    if spec.get("type") == "ExternalName" and spec.get("externalIPs"):
        warnings.append('spec.externalIPs is ignored when spec.type is "ExternalName"')
    if spec.get("type") != "ExternalName" and spec.get("externalName"):
        warnings.append('spec.externalName is ignored when spec.type is not "ExternalName"')
    return warnings
