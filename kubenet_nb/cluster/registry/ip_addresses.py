"""IPAddress objects: one per allocated ClusterIP, named after the IP, pointing at its Service.

kubernetes/kubernetes @ v1.33.0 pkg/registry/core/service/ipallocator/ipallocator.go
(createIPAddress, serviceToRef): with MultiCIDRServiceAllocator (GA in v1.33) the ClusterIP
allocator stores each allocation as a networking.k8s.io/v1 IPAddress labelled
ipaddress.kubernetes.io/managed-by=ipallocator.k8s.io and ipaddress.kubernetes.io/ip-family,
whose spec.parentRef names the Service (group "" is left out, as omitempty serializes it), and
deletes it when the IP is released. Written by the cluster's own writer, inside the request's
store transaction, so a refused request leaves none behind.
"""

from __future__ import annotations

from kubenet_nb.cluster.apiserver import ApiServer

__all__ = ["IP_FAMILY_LABEL", "MANAGED_BY", "MANAGED_BY_LABEL", "IPAddressRecords"]

MANAGED_BY_LABEL = "ipaddress.kubernetes.io/managed-by"
IP_FAMILY_LABEL = "ipaddress.kubernetes.io/ip-family"
MANAGED_BY = "ipallocator.k8s.io"


class IPAddressRecords:
    """Creates and deletes the IPAddress objects of a Service's ClusterIPs."""

    def __init__(self, writer: ApiServer, family: str) -> None:
        self.writer, self.family = writer, family

    def record(self, service: dict, ips: list[str]) -> None:
        """IPAddresses for newly allocated `ips` of `service`."""
        meta = service["metadata"]
        for ip in ips:
            self.writer.create(
                {
                    "apiVersion": "networking.k8s.io/v1",
                    "kind": "IPAddress",
                    "metadata": {
                        "name": ip,
                        "labels": {IP_FAMILY_LABEL: self.family, MANAGED_BY_LABEL: MANAGED_BY},
                    },
                    "spec": {
                        "parentRef": {
                            "resource": "services",
                            "namespace": meta["namespace"],
                            "name": meta["name"],
                        }
                    },
                },
                trusted=True,
                copied=True,
            )

    def forget(self, ips: list[str]) -> None:
        """Delete the IPAddresses of released `ips` (those still stored)."""
        for ip in ips:
            if self.writer.store.get("IPAddress", "", ip) is not None:
                self.writer.remove("IPAddress", "", ip)
