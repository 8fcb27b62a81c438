"""Who answers a LoadBalancer Service on kind: nobody, cloud-provider-kind, or MetalLB.

Sources: kubernetes-sigs/kind site/content/docs/user/loadbalancer.md @ v0.29.0 (a stock cluster
has no load-balancer controller: EXTERNAL-IP `<pending>`); k8s.io/cloud-provider
controllers/service/controller.go @ v0.32.2 as vendored by kubernetes-sigs/cloud-provider-kind
@ v0.6.0 (event source `service-controller`, EnsuringLoadBalancer / EnsuredLoadBalancer /
DeletingLoadBalancer / DeletedLoadBalancer and their messages; `wantsLoadBalancer` skips a
loadBalancerClass); cloud-provider-kind @ v0.6.0 pkg/loadbalancer/server.go (status: the Envoy
container's address, ipMode Proxy, the Service's ports; container name `kindccm-` + 6 bytes of
sha256 in hex); metallb/metallb controller/service.go (IPAllocated `Assigned IP %q` of the
[]net.IP, AllocationFailed `Failed to allocate IP for %q: %s`, source `metallb-controller`).
"""

from __future__ import annotations

import hashlib

import pytest

from kubenet_nb.cluster.control_plane import ControlPlane
from kubenet_nb.cluster.controllers.loadbalancer import envoy_container


def service(name: str, **spec: object) -> dict:
    body: dict = {"type": "LoadBalancer", "ports": [{"port": 80}], **spec}
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": body}


def ingress(c: ControlPlane, name: str) -> list[dict]:
    return (c.get("svc", name).get("status") or {}).get("loadBalancer", {}).get("ingress", [])


def events(c: ControlPlane, name: str) -> list[tuple[str, str, str, str]]:
    return [
        (e.type, e.reason, e.source, e.message)
        for e in c.api.events.about("Service", "default", name)
    ]


def test_stock_kind_leaves_the_service_pending() -> None:
    c = ControlPlane(load_balancer=None)
    c.create(service("web"))
    assert ingress(c, "web") == []
    assert events(c, "web") == []


def test_cloud_provider_kind_gives_the_envoy_containers_address() -> None:
    c = ControlPlane(workers=2, load_balancer="cloud-provider-kind")  # nodes .2, .3, .4
    c.create(service("web"))
    assert ingress(c, "web") == [
        {"ip": "172.18.0.5", "ipMode": "Proxy", "ports": [{"port": 80, "protocol": "TCP"}]}
    ]
    assert events(c, "web") == [
        ("Normal", "EnsuringLoadBalancer", "service-controller", "Ensuring load balancer"),
        ("Normal", "EnsuredLoadBalancer", "service-controller", "Ensured load balancer"),
    ]
    c.create(service("api", loadBalancerIP="172.18.255.210"))  # not honoured by the provider
    assert ingress(c, "api")[0]["ip"] == "172.18.0.6"


def test_cloud_provider_kind_reuses_the_lowest_free_address() -> None:
    c = ControlPlane(workers=3, load_balancer="cloud-provider-kind")  # nodes .2 to .5
    c.create(service("a"))
    c.create(service("b"))
    assert [ingress(c, n)[0]["ip"] for n in ("a", "b")] == ["172.18.0.6", "172.18.0.7"]
    c.delete("svc", "a")
    c.create(service("c"))
    assert ingress(c, "c")[0]["ip"] == "172.18.0.6"


def test_cloud_provider_kind_deletes_when_the_type_changes() -> None:
    c = ControlPlane(load_balancer="cloud-provider-kind")
    c.create(service("web"))
    svc = c.get("svc", "web")
    svc["spec"] = {"type": "ClusterIP", "ports": [{"port": 80}]}
    svc["spec"]["clusterIP"] = c.get("svc", "web")["spec"]["clusterIP"]
    c.update(svc)
    assert ingress(c, "web") == []
    assert [reason for _, reason, _, _ in events(c, "web")][-2:] == [
        "DeletingLoadBalancer",
        "DeletedLoadBalancer",
    ]


def test_a_load_balancer_class_is_left_to_its_controller() -> None:
    for mode in ("cloud-provider-kind", "metallb"):
        c = ControlPlane(load_balancer=mode)
        c.create(service("web", loadBalancerClass="example.com/other"))
        assert (ingress(c, "web"), events(c, "web")) == ([], [])


def test_metallb_allocates_from_its_pool() -> None:
    c = ControlPlane(load_balancer="metallb")
    c.create(service("web"))
    assert ingress(c, "web") == [{"ip": "172.18.255.200", "ipMode": "VIP"}]
    assert events(c, "web") == [
        ("Normal", "IPAllocated", "metallb-controller", 'Assigned IP ["172.18.255.200"]')
    ]


def test_metallb_refusals() -> None:
    c = ControlPlane(load_balancer="metallb", load_balancer_pool="172.18.255.200-172.18.255.200")
    c.create(service("web"))
    c.create(service("outside", loadBalancerIP="10.0.0.1"))
    c.create(service("taken", loadBalancerIP="172.18.255.200"))
    c.create(service("full"))
    warning = ("Warning", "AllocationFailed", "metallb-controller")
    assert events(c, "outside") == [
        (
            *warning,
            'Failed to allocate IP for "default/outside": "10.0.0.1" is not allowed in config',
        )
    ]
    assert events(c, "taken") == [
        (
            *warning,
            'Failed to allocate IP for "default/taken": can\'t change sharing key for '
            '"default/taken", address also in use by default/web',
        )
    ]
    assert events(c, "full") == [
        (*warning, 'Failed to allocate IP for "default/full": no available IPs')
    ]
    assert [ingress(c, n) for n in ("outside", "taken", "full")] == [[], [], []]


def test_metallb_is_the_default_and_a_bad_setting_is_refused() -> None:
    assert ControlPlane().settings.load_balancer == "metallb"
    with pytest.raises(ValueError, match="load_balancer must be one of 'cloud-provider-kind'"):
        ControlPlane(load_balancer="aws")


def test_envoy_container_name() -> None:
    digest = hashlib.sha256(b"kind/default/web").hexdigest()
    assert envoy_container("kind", "default", "web") == "kindccm-" + digest[:12]


def test_cloud_provider_kind_ensures_again_when_a_compared_field_changes() -> None:
    # controller.go needsUpdate: externalTrafficPolicy and the ports are compared; a label is not.
    c = ControlPlane(load_balancer="cloud-provider-kind")
    c.create(service("web"))
    svc = c.get("svc", "web")
    svc["metadata"]["labels"] = {"tier": "front"}
    c.update(svc)
    counts = [(e.reason, e.count) for e in c.api.events.about("Service", "default", "web")]
    assert counts == [("EnsuringLoadBalancer", 1), ("EnsuredLoadBalancer", 1)]
    svc = c.get("svc", "web")
    svc["spec"]["externalTrafficPolicy"] = "Local"
    svc["spec"]["ports"].append({"name": "https", "port": 443, "protocol": "TCP"})
    svc["spec"]["ports"][0]["name"] = "http"
    c.update(svc)
    # the recorder aggregates the same event: one row each, seen twice
    counts = [(e.reason, e.count) for e in c.api.events.about("Service", "default", "web")]
    assert counts == [("EnsuringLoadBalancer", 2), ("EnsuredLoadBalancer", 2)]
    assert ingress(c, "web")[0]["ports"] == [
        {"port": 80, "protocol": "TCP"},
        {"port": 443, "protocol": "TCP"},
    ]
    assert ingress(c, "web")[0]["ip"] == "172.18.0.5"
