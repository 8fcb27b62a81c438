"""Service validation on create and update (ValidateService, ValidateServiceUpdate) and warnings.

Follows pkg/apis/core/validation/validation.go (v1.33): errors are appended in the order upstream
appends them, and bad values print as Go's field errors print them. The clusterIP, affinity and
traffic-policy checks live in service_ips and service_policies; ports, types and the
LoadBalancer-only fields are checked here. Warnings follow pkg/api/service/warnings.go.
"""

from __future__ import annotations

import ipaddress

from kubenet_nb.api.core.service.defaults import is_headless, needs_health_check
from kubenet_nb.api.core.service.ips import (
    validate_cluster_ips_related_fields,
    validate_cluster_ips_update,
    validate_external_ips,
    validate_ip_families_update,
)
from kubenet_nb.api.core.service.policies import (
    validate_session_affinity,
    validate_traffic_policies,
)
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import (
    PORT_PROTOCOLS,
    GoValue,
    go_quote,
    name_is_dns1035_label,
    validate_dns1123_label,
    validate_labels,
    validate_object_meta,
    validate_object_meta_update,
    validate_port_num_or_name,
    validate_qualified_name,
)
from kubenet_nb.api.names import is_dns1123_subdomain, is_valid_port_num
from kubenet_nb.api.well_known import (
    LOAD_BALANCER_SOURCE_RANGES_ANNOTATION,
    TOPOLOGY_AWARE_HINTS_ANNOTATION,
    TOPOLOGY_MODE_ANNOTATION,
)

__all__ = ["service_warnings", "validate_service", "validate_service_update"]

# sets.List(...) order: sorted.
TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
ONLY_LB = "may only be used when `type` is 'LoadBalancer'"
BAD_CIDR = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"


def _go_port_key(protocol: str, port: int) -> GoValue:
    # field.Duplicate(portPath, core.ServicePort{Protocol, Port}) prints the struct with %#v.
    return GoValue(
        f'core.ServicePort{{Name:"", Protocol:{go_quote(protocol)}, '
        f"AppProtocol:(*string)(nil), Port:{port}, TargetPort:intstr.IntOrString"
        '{Type:0, IntVal:0, StrVal:""}, NodePort:0}'
    )


def _is_cidr(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return "/" in text


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
    elif protocol not in PORT_PROTOCOLS:
        errs.append(FieldError.not_supported(f"{path}.protocol", protocol, PORT_PROTOCOLS))
    errs.extend(validate_port_num_or_name(port.get("targetPort") or 0, f"{path}.targetPort"))
    if port.get("appProtocol") is not None:
        errs.extend(validate_qualified_name(port["appProtocol"], f"{path}.appProtocol"))
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
    elif LOAD_BALANCER_SOURCE_RANGES_ANNOTATION in annotations:
        path = f"metadata.annotations[{LOAD_BALANCER_SOURCE_RANGES_ANNOTATION}]"
        if kind != "LoadBalancer":
            errs.append(FieldError.forbidden(path, ONLY_LB))
        value = annotations[LOAD_BALANCER_SOURCE_RANGES_ANNOTATION].strip()
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


def validate_service(obj: dict) -> list[FieldError]:
    """ValidateService: every error, in the order upstream appends them."""
    meta = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    annotations = meta.get("annotations") or {}
    errs = validate_object_meta(meta, True, name_is_dns1035_label)
    mode, hints = (
        annotations.get(TOPOLOGY_MODE_ANNOTATION),
        annotations.get(TOPOLOGY_AWARE_HINTS_ANNOTATION),
    )
    if mode is not None and hints is not None and mode != hints:
        errs.append(
            FieldError.invalid(
                f"metadata.annotations[{TOPOLOGY_MODE_ANNOTATION}]",
                mode,
                f"must match annotations[{TOPOLOGY_AWARE_HINTS_ANNOTATION}] "
                "when both are specified",
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
    errs.extend(validate_session_affinity(spec))
    errs.extend(validate_cluster_ips_related_fields(obj))
    errs.extend(validate_external_ips(spec))
    errs.extend(_validate_type_specific(spec, annotations))
    errs.extend(_validate_load_balancer_class(spec, None))
    errs.extend(validate_traffic_policies(spec))
    return errs


def validate_service_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateServiceUpdate: immutability rules first, then ValidateService on the new object."""
    spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    errs = validate_object_meta_update(new.get("metadata") or {}, old.get("metadata") or {})
    errs.extend(validate_cluster_ips_update(spec, old_spec))
    errs.extend(validate_ip_families_update(spec, old_spec))
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
    if TOPOLOGY_AWARE_HINTS_ANNOTATION in annotations:
        warnings.append(
            f"annotation {TOPOLOGY_AWARE_HINTS_ANNOTATION} is deprecated, "
            f"please use {TOPOLOGY_MODE_ANNOTATION} instead"
        )
    if spec.get("type") == "ExternalName" and spec.get("externalIPs"):
        warnings.append('spec.externalIPs is ignored when spec.type is "ExternalName"')
    if spec.get("type") != "ExternalName" and spec.get("externalName"):
        warnings.append('spec.externalName is ignored when spec.type is not "ExternalName"')
    return warnings
