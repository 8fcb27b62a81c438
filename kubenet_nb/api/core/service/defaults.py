"""Service defaulting, and the Service-type predicates that defaulting and validation both ask.

Defaults follow pkg/apis/core/v1/defaults.go SetDefaults_Service; the predicates are those of
pkg/api/service/util.go and validation.go. The ipFamilies / ipFamilyPolicy defaults depend on the
cluster and are set at allocation time (kubenet_nb.cluster.registry.service), as upstream's
service REST storage does.
"""

from __future__ import annotations

__all__ = [
    "DEFAULT_CLIENT_IP_TIMEOUT",
    "default_service",
    "externally_accessible",
    "is_headless",
    "needs_health_check",
]

DEFAULT_CLIENT_IP_TIMEOUT = 10800
"""core/v1 types.go DefaultClientIPServiceAffinitySeconds (3 hours)."""


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
