"""The Service registry: ClusterIPs, NodePorts and ipFamilies on create, update and delete.

Follows pkg/registry/core/service/storage (rest.go beginCreate/beginUpdate, alloc.go) and
pkg/registry/core/service/strategy.go. As upstream, IPs and ports are allocated *before* the
object is validated: a NodePort Service asking for nodePort 80 is refused for the port range even
when other fields are also wrong, and creating an existing Service again that asks for a fixed
nodePort is refused with "provided port is already allocated", not AlreadyExists
(kubernetes/kubernetes#116747). Every allocation and release registers its undo, so a refused
request inside a store transaction gives back everything it took.
"""

from __future__ import annotations

from kubenet_nb.api.core.service import (
    default_service,
    go_string_list,
    is_headless,
    needs_health_check,
    service_warnings,
    validate_cluster_ips_related_fields,
    validate_service,
    validate_service_update,
)
from kubenet_nb.api.errors import FieldError, Invalid, StatusError
from kubenet_nb.cluster.allocators import AllocationError, ClusterIPAllocator, NodePortAllocator
from kubenet_nb.cluster.apiserver import Strategy
from kubenet_nb.cluster.registry.ip_addresses import IPAddressRecords
from kubenet_nb.cluster.store import clone

__all__ = [
    "ServiceStrategy",
    "init_ip_family_fields",
    "normalize_cluster_ips",
    "patch_allocated_values",
]

NODE_PORT_TYPES = ("NodePort", "LoadBalancer")
_OTHER_FAMILY = {"IPv4": "IPv6", "IPv6": "IPv4"}


class _UnknownError(StatusError):
    """A plain Go error out of the registry: the API server answers 500 with reason Unknown."""

    code, reason = 500, "Unknown"


def _internal(detail: str) -> StatusError:
    """apierrors.NewInternalError."""
    return StatusError(f"Internal error occurred: {detail}")


def normalize_cluster_ips(spec: dict, old_spec: dict | None) -> None:
    """rest.go normalizeClusterIPs: keep clusterIP and clusterIPs in step for old clients."""
    ip, ips = spec.get("clusterIP") or "", spec.get("clusterIPs") or []
    if old_spec is None:
        if ip and not ips:
            spec["clusterIPs"] = [ip]
        return
    old_ip, old_ips = old_spec.get("clusterIP") or "", old_spec.get("clusterIPs") or []
    if old_ips and not ips and old_ip == ip:
        spec["clusterIPs"] = ips = list(old_ips)
    if old_ip != ip and ips == old_ips:
        if old_ip and not ip:
            spec.pop("clusterIPs", None)
        else:
            spec["clusterIPs"] = [ip]


def patch_allocated_values(spec: dict, old_spec: dict) -> None:
    """rest.go patchAllocatedValues: a re-sent manifest keeps what was allocated for it."""
    if "ExternalName" not in (spec.get("type"), old_spec.get("type")):
        if not spec.get("clusterIP") and old_spec.get("clusterIP"):
            spec["clusterIP"] = old_spec["clusterIP"]
        if not spec.get("clusterIPs") and old_spec.get("clusterIPs"):
            spec["clusterIPs"] = list(old_spec["clusterIPs"])
    if spec.get("type") in NODE_PORT_TYPES and old_spec.get("type") in NODE_PORT_TYPES:
        new_ports, old_ports = spec.get("ports") or [], old_spec.get("ports") or []
        used = {p.get("nodePort") for p in old_ports if p.get("nodePort")} & {
            p.get("nodePort") for p in new_ports if p.get("nodePort")
        }
        by_name = {p.get("name") or "": p.get("nodePort") or 0 for p in old_ports}
        for port in new_ports:
            old_value = by_name.get(port.get("name") or "", 0)
            if not port.get("nodePort") and old_value and old_value not in used:
                port["nodePort"] = old_value
    if (
        needs_health_check(spec)
        and needs_health_check(old_spec)
        and not spec.get("healthCheckNodePort")
    ):
        spec["healthCheckNodePort"] = old_spec.get("healthCheckNodePort") or 0


def _prefer_dual_stack_unchanged(spec: dict, old_spec: dict | None) -> bool:
    """alloc.go isMatchingPreferDualStackClusterIPFields."""
    return (
        old_spec is not None
        and spec.get("ipFamilyPolicy") is not None
        and old_spec.get("type") == spec.get("type")
        and spec.get("type") in ("ClusterIP", *NODE_PORT_TYPES)
        and spec["ipFamilyPolicy"] == "PreferDualStack"
        and old_spec.get("ipFamilyPolicy") in (None, "PreferDualStack")
        and (spec.get("clusterIPs") or []) == (old_spec.get("clusterIPs") or [])
        and (spec.get("ipFamilies") or []) == (old_spec.get("ipFamilies") or [])
    )


def init_ip_family_fields(
    obj: dict, old: dict | None, families: tuple[str, ...]
) -> list[FieldError]:
    """alloc.go initIPFamilyFields: default ipFamilyPolicy and ipFamilies for this cluster.

    `families` are the cluster's service IP families, primary first. Returns the refusals.
    """
    spec = obj["spec"]
    old_spec = old["spec"] if old is not None else None
    if spec.get("type") == "ExternalName" or _prefer_dual_stack_unchanged(spec, old_spec):
        return []
    if spec.get("ipFamilyPolicy") is None:
        if old_spec is not None and old_spec.get("ipFamilyPolicy") is not None:
            spec["ipFamilyPolicy"] = old_spec["ipFamilyPolicy"]
        elif spec.get("clusterIP") == "None" and not spec.get("selector"):
            spec["ipFamilyPolicy"] = "RequireDualStack"
        else:
            spec["ipFamilyPolicy"] = "SingleStack"
    errs = validate_cluster_ips_related_fields(obj)
    if errs:
        return errs
    policy = spec["ipFamilyPolicy"]
    ips, fams = spec.get("clusterIPs") or [], spec.setdefault("ipFamilies", [])
    if old_spec is not None:
        old_ips, old_fams = old_spec.get("clusterIPs") or [], old_spec.get("ipFamilies") or []
        if policy == "SingleStack":
            if ips == old_ips and len(ips) > 1:
                spec["clusterIPs"] = ips = ips[:1]
            if fams == old_fams and len(fams) > 1:
                del fams[1:]
        else:
            if ips and len(ips) < len(old_ips):
                errs.append(
                    FieldError.invalid(
                        "spec.ipFamilyPolicy",
                        policy,
                        "must be 'SingleStack' to release the secondary cluster IP",
                    )
                )
            if fams and len(fams) < len(old_fams):
                errs.append(
                    FieldError.invalid(
                        "spec.ipFamilyPolicy",
                        policy,
                        "must be 'SingleStack' to release the secondary IP family",
                    )
                )
    if policy == "SingleStack":
        for count, what in ((len(ips), "cluster IPs"), (len(fams), "IP families")):
            if count == 2:
                errs.append(
                    FieldError.invalid(
                        "spec.ipFamilyPolicy",
                        policy,
                        "must be 'RequireDualStack' or "
                        f"'PreferDualStack' when multiple {what} are specified",
                    )
                )
    for i, ip in enumerate(ips):
        if ip == "None":
            break
        family = "IPv6" if ":" in ip else "IPv4"
        if i >= len(fams):
            if family in families:
                fams.append(family)
            else:
                errs.append(
                    FieldError.invalid(
                        f"spec.clusterIPs[{i}]",
                        list(ips),
                        f"{family} is not configured on this cluster",
                    )
                )
    if errs:
        return errs
    if spec.get("clusterIP") == "None" and not spec.get("selector"):
        if not fams:
            fams.append(families[0])
        if len(fams) < 2 and policy != "SingleStack":
            fams.append(_OTHER_FAMILY[fams[0]])
        return []
    if policy == "RequireDualStack" and len(families) < 2:
        errs.append(
            FieldError.invalid(
                "spec.ipFamilyPolicy",
                policy,
                "this cluster is not configured for dual-stack services",
            )
        )
    errs.extend(
        FieldError.invalid(f"spec.ipFamilies[{i}]", family, "not configured on this cluster")
        for i, family in enumerate(fams)
        if family not in families
    )
    if errs:
        return errs
    if not fams:
        fams.append(families[0])
    if policy != "SingleStack" and len(fams) == 1 and len(families) == 2:
        fams.append(_OTHER_FAMILY[fams[0]])
    return []


def _drop_type_dependent_fields(spec: dict, old_spec: dict, status: dict) -> None:
    """strategy.go dropTypeDependentFields: clear what the new type no longer uses, if unchanged."""
    kind, old_kind = spec.get("type"), old_spec.get("type")
    if old_kind != "ExternalName" and kind == "ExternalName":
        if spec.get("clusterIP") == old_spec.get("clusterIP") and (
            spec.get("clusterIPs") or []
        ) == (old_spec.get("clusterIPs") or []):
            spec.pop("clusterIP", None)
            spec.pop("clusterIPs", None)
        for field in ("ipFamilies", "ipFamilyPolicy"):
            if spec.get(field) == old_spec.get(field):
                spec.pop(field, None)
    if (
        old_kind in NODE_PORT_TYPES
        and kind not in NODE_PORT_TYPES
        and _node_ports(spec) <= _node_ports(old_spec)
    ):
        for port in spec.get("ports") or []:
            port.pop("nodePort", None)
    if (
        needs_health_check(old_spec)
        and not needs_health_check(spec)
        and (spec.get("healthCheckNodePort") or 0) == (old_spec.get("healthCheckNodePort") or 0)
    ):
        spec.pop("healthCheckNodePort", None)
    if old_kind == "LoadBalancer" and kind != "LoadBalancer":
        for field in ("allocateLoadBalancerNodePorts", "loadBalancerClass"):
            if spec.get(field) is not None and spec.get(field) == old_spec.get(field):
                spec.pop(field, None)
    if (
        old_kind in NODE_PORT_TYPES
        and kind not in NODE_PORT_TYPES
        and spec.get("externalTrafficPolicy") == old_spec.get("externalTrafficPolicy")
    ):
        spec.pop("externalTrafficPolicy", None)
    if kind != "LoadBalancer":
        status["loadBalancer"] = {}


def _node_ports(spec: dict) -> set[int]:
    return {p["nodePort"] for p in spec.get("ports") or [] if p.get("nodePort")}


def _held_ips(spec: dict) -> set[str]:
    """The ClusterIPs a stored Service holds (alloc.go releaseClusterIPs)."""
    if spec.get("type") == "ExternalName" or is_headless(spec):
        return set()
    return {ip for ip in spec.get("clusterIPs") or [] if ip}


def _held_node_ports(spec: dict) -> set[int]:
    """The nodePorts a stored Service holds.

    Upstream counts every nonzero nodePort, even the unallocated ones an ExternalName Service
    may carry, and its repair loop mends the damage later; without that loop, count only the
    types that allocate them.
    """
    return _node_ports(spec) if spec.get("type") in NODE_PORT_TYPES else set()


def _held_ports(spec: dict) -> set[int]:
    """The node ports a stored Service holds (alloc.go releaseAllocatedResources)."""
    ports = _held_node_ports(spec)
    if needs_health_check(spec) and spec.get("healthCheckNodePort"):
        ports.add(spec["healthCheckNodePort"])
    return ports


class ServiceStrategy(Strategy):
    """Services: defaulting, allocation before validation, release of what is no longer held."""

    kind = "Service"

    def __init__(
        self,
        cluster_ips: ClusterIPAllocator,
        node_ports: NodePortAllocator,
        ip_addresses: IPAddressRecords,
    ) -> None:
        self.cluster_ips = cluster_ips
        self.node_ports = node_ports
        self.ip_addresses = ip_addresses

    @property
    def families(self) -> tuple[str, ...]:
        """The cluster's service IP families (single-stack: the service CIDR's family)."""
        return (self.cluster_ips.family,)

    # -- create ---------------------------------------------------------------------------

    def prepare_create(self, obj: dict) -> None:
        """Decode-time defaults, then beginCreate (IP families, ClusterIPs, NodePorts)."""
        default_service(obj)
        spec = obj["spec"]
        normalize_cluster_ips(spec, None)
        self._refuse(obj, init_ip_family_fields(obj, None, self.families))
        self._alloc_cluster_ips(obj)
        if spec["type"] in NODE_PORT_TYPES:
            self._init_node_ports(obj)
        if needs_health_check(spec):
            self._alloc_health_check_port(spec)
        obj["status"] = {"loadBalancer": {}}
        self._drop_on_read(spec)

    def validate_create(self, obj: dict) -> list[FieldError]:
        return validate_service(obj)

    def allocate(self, obj: dict) -> None:
        """The create went through: an IPAddress object per allocated ClusterIP."""
        self.ip_addresses.record(obj, sorted(_held_ips(obj["spec"])))

    # -- update ---------------------------------------------------------------------------

    def prepare_update(self, obj: dict, old: dict) -> None:
        """Defaults, beginUpdate (patch, allocate what is new), then PrepareForUpdate."""
        default_service(obj)
        meta, old_meta = obj["metadata"], old["metadata"]
        # rest.BeforeUpdate: a client can change neither generation nor creationTimestamp.
        for field in ("generation", "creationTimestamp"):
            if field in old_meta:
                meta[field] = old_meta[field]
        spec, old_spec = obj["spec"], old["spec"]
        patch_allocated_values(spec, old_spec)
        normalize_cluster_ips(spec, old_spec)
        self._refuse(obj, init_ip_family_fields(obj, old, self.families))
        if old_spec.get("type") == "ExternalName" and spec["type"] != "ExternalName":
            self._alloc_cluster_ips(obj)
        if spec["type"] in NODE_PORT_TYPES:
            self._update_node_ports(obj, old_spec)
        if needs_health_check(spec) and not needs_health_check(old_spec):
            self._alloc_health_check_port(spec)
        obj["status"] = clone(old.get("status") or {})
        _drop_type_dependent_fields(spec, old_spec, obj["status"])
        self._drop_on_read(spec)

    def validate_update(self, obj: dict, old: dict) -> list[FieldError]:
        return validate_service_update(obj, old)

    def reallocate(self, obj: dict, old: dict) -> None:
        """The update went through: give back what the old object held and the new one not."""
        held, old_held = _held_ips(obj["spec"]), _held_ips(old["spec"])
        for ip in sorted(old_held - held):
            self.cluster_ips.release(ip)
        self.ip_addresses.forget(sorted(old_held - held))
        self.ip_addresses.record(obj, sorted(held - old_held))
        for port in sorted(_held_ports(old["spec"]) - _held_ports(obj["spec"])):
            self.node_ports.release(port)

    # -- delete and warnings --------------------------------------------------------------

    def release(self, obj: dict) -> None:
        for ip in sorted(_held_ips(obj["spec"])):
            self.cluster_ips.release(ip)
        self.ip_addresses.forget(sorted(_held_ips(obj["spec"])))
        for port in sorted(_held_ports(obj["spec"])):
            self.node_ports.release(port)

    def warnings(self, obj: dict) -> list[str]:
        return service_warnings(obj)

    # -- allocation -----------------------------------------------------------------------

    @staticmethod
    def _refuse(obj: dict, errs: list[FieldError]) -> None:
        if errs:
            raise Invalid("Service", obj["metadata"]["name"], errs)

    @staticmethod
    def _drop_on_read(spec: dict) -> None:
        # rest.go defaultOnReadInternalTrafficPolicy: ExternalName Services never show one.
        if spec["type"] == "ExternalName":
            spec.pop("internalTrafficPolicy", None)

    def _alloc_cluster_ips(self, obj: dict) -> None:
        """alloc.go allocClusterIPs: the requested IP, or a free one, per IP family."""
        spec = obj["spec"]
        ips = list(spec.get("clusterIPs") or [])
        if spec["type"] == "ExternalName" or ips[:1] == ["None"]:
            return
        ips.extend("" for _ in range(len(spec["ipFamilies"]) - len(ips)))
        for i, requested in enumerate(ips):
            try:
                if requested:
                    self.cluster_ips.allocate(requested)
                else:
                    ips[i] = self.cluster_ips.allocate_next()
            except AllocationError as err:
                if not requested:
                    raise _internal(f"failed to allocate a serviceIP: {err}") from None
                self._refuse(
                    obj,
                    [
                        FieldError.invalid(
                            "spec.clusterIPs",
                            go_string_list(ips),
                            f"failed to allocate IP {requested}: {err}",
                        )
                    ],
                )
        spec["clusterIPs"] = ips
        spec["clusterIP"] = ips[0]

    def _take_port(self, obj: dict, index: int, port: int) -> None:
        try:
            self.node_ports.allocate(port)
        except AllocationError as err:
            self._refuse(obj, [FieldError.invalid(f"spec.ports[{index}].nodePort", port, str(err))])

    def _next_port(self) -> int:
        try:
            return self.node_ports.allocate_next()
        except AllocationError as err:
            raise _internal(f"failed to allocate a nodePort: {err}") from None

    @staticmethod
    def _allocates_new_ports(spec: dict) -> bool:
        """alloc.go shouldAllocateNodePorts."""
        return spec["type"] == "NodePort" or spec.get("allocateLoadBalancerNodePorts") is not False

    def _init_node_ports(self, obj: dict) -> None:
        """alloc.go initNodePorts: ports sharing a port number (53/TCP, 53/UDP) share a nodePort."""
        ports = obj["spec"].get("ports") or []
        allocate_new = self._allocates_new_ports(obj["spec"])
        by_number: dict[int, int] = {}
        for i, port in enumerate(ports):
            node_port = port.get("nodePort") or 0
            if not node_port and not allocate_new:
                continue
            number = port.get("port") or 0
            known = by_number.get(number, 0)
            if not known:
                requested = next(
                    (
                        p["nodePort"]
                        for p in ports
                        if p.get("nodePort") and (p.get("port") or 0) == number
                    ),
                    0,
                )
                if requested:
                    self._take_port(obj, i, requested)
                    port["nodePort"] = requested
                else:
                    port["nodePort"] = self._next_port()
                by_number[number] = port["nodePort"]
            elif node_port != known:
                if node_port:
                    self._take_port(obj, i, node_port)
                else:
                    port["nodePort"] = known

    def _update_node_ports(self, obj: dict, old_spec: dict) -> None:
        """alloc.go updateNodePorts: allocate what is new; releases wait for `reallocate`."""
        old_ports = _held_node_ports(old_spec)
        allocate_new = self._allocates_new_ports(obj["spec"])
        taken: set[int] = set()
        seen: set[tuple[str, int]] = set()
        for i, port in enumerate(obj["spec"].get("ports") or []):
            node_port = port.get("nodePort") or 0
            if not node_port and not allocate_new:
                continue
            if not node_port:
                port["nodePort"] = node_port = self._next_port()
            elif node_port not in old_ports and node_port not in taken:
                self._take_port(obj, i, node_port)
                taken.add(node_port)
            key = (port.get("protocol") or "", node_port)
            if key in seen:
                raise _UnknownError(f"duplicate nodePort: {{{key[0]} {key[1]}}}")
            seen.add(key)

    def _alloc_health_check_port(self, spec: dict) -> None:
        """alloc.go allocHealthCheckNodePort (failures are internal errors upstream)."""
        requested = spec.get("healthCheckNodePort") or 0
        try:
            if requested:
                self.node_ports.allocate(requested)
            else:
                spec["healthCheckNodePort"] = self.node_ports.allocate_next()
        except AllocationError as err:
            if requested:
                raise _internal(
                    f"failed to allocate requested HealthCheck NodePort {requested}: {err}"
                ) from None
            raise _internal(f"failed to allocate a HealthCheck NodePort 0: {err}") from None
