"""IPAddress objects follow the ClusterIPs the Service registry allocates and releases.

kubernetes/kubernetes @ v1.33.0 pkg/registry/core/service/ipallocator/ipallocator.go
(createIPAddress: labels ipaddress.kubernetes.io/ip-family and
ipaddress.kubernetes.io/managed-by=ipallocator.k8s.io, serviceToRef), GA with
MultiCIDRServiceAllocator in v1.33; a refused Service create releases its IPs and objects.
"""

from __future__ import annotations

import pytest

from kubenet_nb.api.errors import Invalid
from kubenet_nb.cluster.control_plane import ControlPlane
from tests.cluster.invariants import snapshot


def service(name: str, **spec: object) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name},
        "spec": {"selector": {"app": name}, "ports": [{"port": 80}], **spec},
    }


@pytest.fixture
def cluster() -> ControlPlane:
    return ControlPlane(workers=0, system_pods=False)


def addresses(c: ControlPlane) -> dict[str, str]:
    return {
        ip["metadata"]["name"]: "{resource}/{namespace}/{name}".format(**ip["spec"]["parentRef"])
        for ip in c.list("ipaddresses", None)
    }


def test_fresh_cluster_has_kubernetes_and_kube_dns(cluster: ControlPlane) -> None:
    assert addresses(cluster) == {
        "10.96.0.1": "services/default/kubernetes",
        "10.96.0.10": "services/kube-system/kube-dns",
    }
    ip = cluster.get("ipaddress", "10.96.0.1", "")
    assert ip["metadata"]["labels"] == {
        "ipaddress.kubernetes.io/ip-family": "IPv4",
        "ipaddress.kubernetes.io/managed-by": "ipallocator.k8s.io",
    }
    assert ip["spec"]["parentRef"] == {
        "resource": "services",
        "namespace": "default",
        "name": "kubernetes",
    }


def test_created_and_deleted_with_the_service(cluster: ControlPlane) -> None:
    ip = cluster.create(service("web"))["spec"]["clusterIP"]
    assert addresses(cluster)[ip] == "services/default/web"
    cluster.delete("svc", "web")
    assert ip not in addresses(cluster)


def test_headless_and_external_name_hold_none(cluster: ControlPlane) -> None:
    before = addresses(cluster)
    cluster.create(service("headless", clusterIP="None"))
    cluster.create({**service("ext", type="ExternalName", externalName="example.com")})
    assert addresses(cluster) == before


def test_type_change_follows_the_ip(cluster: ControlPlane) -> None:
    created = cluster.create(service("web"))
    ip = created["spec"]["clusterIP"]
    external = {
        **created,
        "spec": {"type": "ExternalName", "externalName": "example.com", "ports": [{"port": 80}]},
    }
    cluster.update(external)
    assert ip not in addresses(cluster)
    back = cluster.get("svc", "web")
    back["spec"] = {"type": "ClusterIP", "selector": {"app": "web"}, "ports": [{"port": 80}]}
    new_ip = cluster.update(back)["spec"]["clusterIP"]
    assert addresses(cluster)[new_ip] == "services/default/web"


def test_refused_create_leaves_none(cluster: ControlPlane) -> None:
    before = snapshot(cluster)
    with pytest.raises(Invalid):
        cluster.create(service("web", clusterIP="10.96.0.50", ports=[{"port": 0}]))
    assert snapshot(cluster) == before
    assert "10.96.0.50" not in addresses(cluster)
    cluster.create(service("web", clusterIP="10.96.0.50"))
    assert addresses(cluster)["10.96.0.50"] == "services/default/web"


def test_request_refused_after_the_allocation_gives_everything_back(cluster: ControlPlane) -> None:
    # The Service is stored (with its IPAddress) before the second object is refused: the whole
    # request is undone, the system stream's uid draw included.
    before, draws = snapshot(cluster), cluster.writer.random.getstate()
    with pytest.raises(Invalid):
        cluster.apply([service("web"), service("bad", ports=[{"port": 0}])])
    assert snapshot(cluster) == before
    assert cluster.writer.random.getstate() == draws
    cluster.create(service("web"))
    assert cluster.writer.random.getstate() == (draws[0] + 1,)  # the same draw, made again
