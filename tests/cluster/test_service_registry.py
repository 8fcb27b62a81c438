"""The Service registry through a bare Store + ApiServer: allocation, type changes, refusals.

Sources, in kubernetes/kubernetes: pkg/registry/core/service/storage/rest.go (beginCreate,
beginUpdate, normalizeClusterIPs, patchAllocatedValues, defaultOnReadService),
storage/alloc.go (initIPFamilyFields, allocClusterIPs, initNodePorts, updateNodePorts,
allocHealthCheckNodePort, releaseAllocatedResources), service/strategy.go
(dropTypeDependentFields) and issue #116747 (allocation happens before validation).
"""

from __future__ import annotations

import ipaddress

import pytest

from kubenet_nb.api.errors import Invalid, KubenetError
from kubenet_nb.cluster.allocators import ClusterIPAllocator, NodePortAllocator
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.bootstrap.writer import SystemRandomness, system_writer
from kubenet_nb.cluster.clock import Clock
from kubenet_nb.cluster.randomness import Randomness
from kubenet_nb.cluster.registry.ip_addresses import IPAddressRecords
from kubenet_nb.cluster.registry.service import ServiceStrategy
from kubenet_nb.cluster.store import Store, clone


class Api:
    """A Store and an ApiServer with the Service strategy; every call is one transaction."""

    def __init__(self, cidr: str = "10.96.0.0/16", node_ports: str = "30000-32767") -> None:
        self.store = Store()
        randomness = Randomness(0)
        self.api = ApiServer(self.store, Clock(), randomness)
        self.ips = ClusterIPAllocator(cidr, randomness.rng, self.store.on_undo)
        self.ports = NodePortAllocator(node_ports, randomness.rng, self.store.on_undo)
        writer = system_writer(self.api, SystemRandomness(1, self.store.on_undo))
        self.api.register(ServiceStrategy(self.ips, self.ports, IPAddressRecords(writer, "IPv4")))
        self.store.create(
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}}
        )

    def create(self, name: str = "web", **spec: object) -> dict:
        spec.setdefault("selector", {"app": name})
        spec.setdefault("ports", [{"port": 80}])
        spec = {key: value for key, value in spec.items() if value is not None}
        obj = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec}
        with self.store.transaction():
            return clone(self.api.create(obj))

    def update(self, obj: dict) -> dict:
        with self.store.transaction():
            return clone(self.api.update(obj))

    def delete(self, name: str) -> None:
        with self.store.transaction():
            self.api.remove("Service", "default", name)

    def used(self) -> tuple[int, int]:
        return self.ips.used, self.ports.used

    def refused(self, call, *args: object, **kwargs: object) -> str:
        """Run a call that must be refused; check it left nothing allocated; return the text."""
        before = self.used()
        with pytest.raises(KubenetError) as err:
            call(*args, **kwargs)
        assert self.used() == before
        return str(err.value)


@pytest.fixture
def api() -> Api:
    return Api()


# -- create ---------------------------------------------------------------------------------


def test_cluster_ip_service_as_stored(api: Api) -> None:
    svc = api.create()
    ip = svc["spec"]["clusterIP"]
    assert svc["spec"] == {
        "selector": {"app": "web"},
        "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
        "sessionAffinity": "None",
        "type": "ClusterIP",
        "internalTrafficPolicy": "Cluster",
        "ipFamilyPolicy": "SingleStack",
        "ipFamilies": ["IPv4"],
        "clusterIPs": [ip],
        "clusterIP": ip,
    }
    assert svc["status"] == {"loadBalancer": {}}
    # Dynamic IPs come from above the static band 10.96.0.1-10.96.1.0.
    assert ipaddress.ip_address(ip) > ipaddress.ip_address("10.96.1.0")
    assert api.used() == (1, 0)


def test_requested_cluster_ip_and_conflict(api: Api) -> None:
    assert api.create("dns", clusterIP="10.96.0.10")["spec"]["clusterIPs"] == ["10.96.0.10"]
    assert api.refused(api.create, "dns2", clusterIP="10.96.0.10") == (
        'The Service "dns2" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: '
        "failed to allocate IP 10.96.0.10: provided IP is already allocated"
    )


def test_cluster_ip_outside_the_range(api: Api) -> None:
    assert api.refused(api.create, clusterIP="192.168.10.10") == (
        'The Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"192.168.10.10"}'
        ": failed to allocate IP 192.168.10.10: the provided network does not match the current "
        "range"
    )
    assert api.refused(api.create, clusterIP="10.96.0.0") == (
        'The Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.0"}: '
        "failed to allocate IP 10.96.0.0: the provided IP (10.96.0.0) is not in the valid range. "
        "The range of valid IPs is 10.96.0.0/16"
    )


def test_malformed_cluster_ip_is_refused_before_allocation(api: Api) -> None:
    assert api.refused(api.create, clusterIP="10.96.0.256") == (
        'The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.0.256": must be '
        "a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
    )


def test_ipv6_cluster_ip_on_an_ipv4_cluster(api: Api) -> None:
    # alloc.go initIPFamilyFields: a family inferred from clusterIPs must be configured.
    assert api.refused(api.create, clusterIP="fd00::10") == (
        'The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"fd00::10"}: '
        "IPv6 is not configured on this cluster"
    )
    assert api.refused(api.create, ipFamilies=["IPv6"]) == (
        'The Service "web" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured '
        "on this cluster"
    )
    assert api.refused(api.create, ipFamilyPolicy="RequireDualStack") == (
        'The Service "web" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": '
        "this cluster is not configured for dual-stack services"
    )


def test_prefer_dual_stack_on_a_single_stack_cluster(api: Api) -> None:
    spec = api.create(ipFamilyPolicy="PreferDualStack")["spec"]
    assert (spec["ipFamilyPolicy"], spec["ipFamilies"]) == ("PreferDualStack", ["IPv4"])


def test_headless_services(api: Api) -> None:
    with_selector = api.create("peers", clusterIP="None")["spec"]
    assert with_selector["clusterIPs"] == ["None"]
    assert (with_selector["ipFamilyPolicy"], with_selector["ipFamilies"]) == (
        "SingleStack",
        ["IPv4"],
    )
    # alloc.go: headless + selectorless defaults to RequireDualStack, both families, even on a
    # single-stack cluster.
    bare = api.create("external", clusterIP="None", selector=None)["spec"]
    assert (bare["ipFamilyPolicy"], bare["ipFamilies"]) == ("RequireDualStack", ["IPv4", "IPv6"])
    assert api.used() == (0, 0)


def test_external_name_gets_no_ip_and_no_internal_traffic_policy(api: Api) -> None:
    spec = api.create(
        "db",
        type="ExternalName",
        externalName="db.example.com",
        internalTrafficPolicy="Local",
        selector=None,
    )["spec"]
    assert spec == {
        "type": "ExternalName",
        "externalName": "db.example.com",
        "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
        "sessionAffinity": "None",
    }
    assert api.used() == (0, 0)


def test_node_port_service(api: Api) -> None:
    spec = api.create(type="NodePort")["spec"]
    assert spec["externalTrafficPolicy"] == "Cluster"
    assert 30086 <= spec["ports"][0]["nodePort"] <= 32767
    assert api.used() == (1, 1)


def test_design_example_node_port_80(api: Api) -> None:
    # kubernetes/kubernetes pkg/registry/core/service/portallocator/allocator.go ErrNotInRange
    # and pkg/registry/core/service/alloc.go initNodePorts (field path) @ v1.33.0.
    message = api.refused(api.create, type="NodePort", ports=[{"port": 80, "nodePort": 80}])
    assert message == (
        'The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port '
        "is not in the valid range. The range of valid ports is 30000-32767"
    )


def test_node_port_taken_anywhere_in_the_cluster(api: Api) -> None:
    api.create("a", type="NodePort", ports=[{"port": 80, "nodePort": 30080}])
    assert api.refused(
        api.create, "b", type="NodePort", ports=[{"port": 80, "nodePort": 30080}]
    ) == (
        'The Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port '
        "is already allocated"
    )


def test_allocation_comes_before_validation(api: Api) -> None:
    # rest.go beginCreate runs before the strategy's Validate: only the allocation error shows.
    message = api.refused(
        api.create, "Bad_Name", type="NodePort", ports=[{"port": 80, "nodePort": 80}]
    )
    assert message.endswith(
        "provided port is not in the valid range. The range of valid ports is 30000-32767"
    )


def test_creating_an_existing_service_again(api: Api) -> None:
    # Issue #116747: a fixed nodePort makes the second create fail on allocation, not 409.
    fixed = {"type": "NodePort", "ports": [{"port": 80, "nodePort": 30123}]}
    api.create("my-service", **fixed)
    assert api.refused(api.create, "my-service", **fixed) == (
        'The Service "my-service" is invalid: spec.ports[0].nodePort: Invalid value: 30123: '
        "provided port is already allocated"
    )
    api.create("plain")
    assert api.refused(api.create, "plain") == (
        'Error from server (AlreadyExists): services "plain" already exists'
    )
    assert api.used() == (2, 1)


def test_validation_refusal_frees_what_was_allocated(api: Api) -> None:
    message = api.refused(api.create, type="NodePort", sessionAffinity="Sticky")
    assert message == (
        'The Service "web" is invalid: spec.sessionAffinity: Unsupported value: "Sticky": '
        'supported values: "ClientIP", "None"'
    )
    assert api.refused(api.create, type="NodePort", clusterIP="None").endswith(
        "may not be set to 'None' for NodePort services"
    )


def test_ports_with_one_number_share_a_node_port(api: Api) -> None:
    # alloc.go initNodePorts: svcPortToNodePort keys on the service port number.
    ports = [{"name": "dns", "port": 53, "protocol": "UDP"}, {"name": "dns-tcp", "port": 53}]
    spec = api.create("dns", type="NodePort", ports=ports)["spec"]
    assert spec["ports"][0]["nodePort"] == spec["ports"][1]["nodePort"]
    assert api.used() == (1, 1)


def test_load_balancer_with_local_policy_gets_a_health_check_port(api: Api) -> None:
    spec = api.create(type="LoadBalancer", externalTrafficPolicy="Local")["spec"]
    assert spec["allocateLoadBalancerNodePorts"] is True
    assert 30000 <= spec["healthCheckNodePort"] <= 32767
    assert api.used() == (1, 2)


def test_requested_health_check_port_out_of_range_is_an_internal_error(api: Api) -> None:
    # alloc.go txnAllocNodePorts wraps allocHealthCheckNodePort errors in NewInternalError.
    message = api.refused(
        api.create, type="LoadBalancer", externalTrafficPolicy="Local", healthCheckNodePort=80
    )
    assert message == (
        "Error from server (InternalError): Internal error occurred: failed to allocate requested "
        "HealthCheck NodePort 80: provided port is not in the valid range. The range of valid "
        "ports is 30000-32767"
    )


def test_load_balancer_without_node_ports(api: Api) -> None:
    ports = [{"name": "a", "port": 80}, {"name": "b", "port": 81, "nodePort": 30081}]
    spec = api.create(type="LoadBalancer", allocateLoadBalancerNodePorts=False, ports=ports)["spec"]
    assert "nodePort" not in spec["ports"][0]
    assert spec["ports"][1]["nodePort"] == 30081
    assert api.used() == (1, 1)


def test_full_ranges_are_internal_errors() -> None:
    api = Api(cidr="10.96.0.0/30", node_ports="30000-30001")
    api.create("a", type="NodePort")
    api.create("b", type="NodePort")
    assert api.refused(api.create, "c") == (
        "Error from server (InternalError): Internal error occurred: failed to allocate a "
        "serviceIP: range is full"
    )
    api.delete("b")
    two = [{"name": "a", "port": 80}, {"name": "b", "port": 81}]
    assert api.refused(api.create, "c", type="NodePort", ports=two) == (
        "Error from server (InternalError): Internal error occurred: failed to allocate a "
        "nodePort: range is full"
    )


# -- update ---------------------------------------------------------------------------------


def test_resending_a_manifest_keeps_its_allocations(api: Api) -> None:
    svc = api.create(type="NodePort")
    manifest = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"port": 80}]},
    }
    again = api.update(manifest)
    assert again["spec"] == svc["spec"]
    # The service strategy keeps no metadata.generation (pkg/registry/core/service/strategy.go
    # PrepareForCreate only clears status), unlike the apps strategies.
    assert "generation" not in again["metadata"]
    assert again["metadata"]["creationTimestamp"] == svc["metadata"]["creationTimestamp"]
    assert api.used() == (1, 1)


def test_cluster_ip_may_not_change(api: Api) -> None:
    svc = api.create()
    svc["spec"]["clusterIP"] = "10.96.0.99"
    del svc["spec"]["clusterIPs"]
    assert api.refused(api.update, svc) == (
        'The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.99"}: '
        "may not change once set"
    )


def test_node_port_to_cluster_ip_releases_and_clears(api: Api) -> None:
    svc = api.create(type="NodePort")
    svc["spec"]["type"] = "ClusterIP"
    spec = api.update(svc)["spec"]
    assert "nodePort" not in spec["ports"][0]
    assert "externalTrafficPolicy" not in spec
    assert api.used() == (1, 0)


def test_cluster_ip_to_node_port_allocates(api: Api) -> None:
    svc = api.create()
    svc["spec"]["type"] = "NodePort"
    spec = api.update(svc)["spec"]
    assert spec["externalTrafficPolicy"] == "Cluster"
    assert spec["ports"][0]["nodePort"] >= 30000
    assert api.used() == (1, 1)


def test_changing_a_node_port(api: Api) -> None:
    svc = api.create(type="NodePort", ports=[{"port": 80, "nodePort": 30080}])
    api.create("other", type="NodePort", ports=[{"port": 80, "nodePort": 30081}])
    svc["spec"]["ports"][0]["nodePort"] = 30081
    assert api.refused(api.update, svc) == (
        'The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 30081: provided '
        "port is already allocated"
    )
    svc["spec"]["ports"][0]["nodePort"] = 30082
    api.update(svc)
    assert not api.ports.has(30080)
    assert api.ports.has(30082)


def test_refused_type_change_keeps_everything(api: Api) -> None:
    svc = api.create(type="NodePort", ports=[{"port": 80, "nodePort": 30080}])
    svc["spec"]["type"] = "ClusterIP"
    svc["spec"]["ports"][0]["nodePort"] = 30090  # changed: dropTypeDependentFields keeps it
    assert api.refused(api.update, svc) == (
        'The Service "web" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when '
        "`type` is 'ClusterIP'"
    )
    assert api.ports.has(30080)


def test_cluster_ip_to_external_name_and_back(api: Api) -> None:
    svc = api.create()
    ip = svc["spec"]["clusterIP"]
    svc["spec"].update(type="ExternalName", externalName="db.example.com")
    spec = api.update(svc)["spec"]
    for field in (
        "clusterIP",
        "clusterIPs",
        "ipFamilies",
        "ipFamilyPolicy",
        "internalTrafficPolicy",
    ):
        assert field not in spec
    assert not api.ips.has(ip)
    svc = api.store.get("Service", "default", "web")
    back = clone(svc)
    back["spec"]["type"] = "ClusterIP"
    del back["spec"]["externalName"]
    spec = api.update(back)["spec"]
    assert spec["clusterIP"] == spec["clusterIPs"][0]
    assert (spec["ipFamilyPolicy"], spec["ipFamilies"]) == ("SingleStack", ["IPv4"])
    assert api.used() == (1, 0)


def test_external_name_to_cluster_ip_with_a_taken_ip(api: Api) -> None:
    api.create("a", clusterIP="10.96.5.5")
    svc = api.create("db", type="ExternalName", externalName="db.example.com", selector=None)
    svc["spec"].update(type="ClusterIP", clusterIP="10.96.5.5")
    del svc["spec"]["externalName"]
    assert api.refused(api.update, svc).endswith(
        "failed to allocate IP 10.96.5.5: provided IP is already allocated"
    )


def test_local_to_cluster_policy_releases_the_health_check_port(api: Api) -> None:
    svc = api.create(type="LoadBalancer", externalTrafficPolicy="Local")
    health = svc["spec"]["healthCheckNodePort"]
    svc["spec"]["externalTrafficPolicy"] = "Cluster"
    spec = api.update(svc)["spec"]
    assert "healthCheckNodePort" not in spec
    assert not api.ports.has(health)
    assert api.used() == (1, 1)


def test_load_balancer_to_cluster_ip_drops_load_balancer_fields(api: Api) -> None:
    svc = api.create(type="LoadBalancer")
    svc["status"] = {"loadBalancer": {"ingress": [{"ip": "172.18.255.200"}]}}
    svc["spec"]["type"] = "ClusterIP"
    updated = api.update(svc)
    assert "allocateLoadBalancerNodePorts" not in updated["spec"]
    assert updated["status"] == {"loadBalancer": {}}
    assert api.used() == (1, 0)


def test_client_status_is_ignored_on_update(api: Api) -> None:
    svc = api.create(type="LoadBalancer")
    svc["status"] = {"loadBalancer": {"ingress": [{"ip": "203.0.113.9"}]}}
    assert api.update(svc)["status"] == {"loadBalancer": {}}


# -- delete ---------------------------------------------------------------------------------


def test_delete_releases_everything(api: Api) -> None:
    api.create(type="LoadBalancer", externalTrafficPolicy="Local", clusterIP="10.96.0.20")
    assert api.used() == (1, 2)
    api.delete("web")
    assert api.used() == (0, 0)
    assert api.create(clusterIP="10.96.0.20")["spec"]["clusterIP"] == "10.96.0.20"


def test_external_name_node_ports_are_never_held(api: Api) -> None:
    # Validation lets an ExternalName Service carry a nodePort; it is never allocated, so its
    # deletion must not free the port another Service holds (upstream leans on its repair loop).
    api.create("a", type="NodePort", ports=[{"port": 80, "nodePort": 30080}])
    api.create(
        "x",
        type="ExternalName",
        externalName="db.example.com",
        selector=None,
        ports=[{"port": 80, "nodePort": 30080}],
    )
    api.delete("x")
    assert api.ports.has(30080)


def test_headless_service_survives_a_resent_manifest(api: Api) -> None:
    svc = api.create("peers", clusterIP="None")
    manifest = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "peers", "namespace": "default"},
        "spec": {"clusterIP": "None", "selector": {"app": "peers"}, "ports": [{"port": 80}]},
    }
    assert api.update(manifest)["spec"] == svc["spec"]
    assert api.used() == (0, 0)


def test_a_refused_delete_keeps_the_allocations(api: Api) -> None:
    api.create(type="NodePort")

    def refused_request() -> None:
        with api.store.transaction():
            api.api.remove("Service", "default", "web")
            raise RuntimeError("refused later in the request")

    with pytest.raises(RuntimeError):
        refused_request()
    assert api.used() == (1, 1)


def test_invalid_is_the_api_status(api: Api) -> None:
    with pytest.raises(Invalid) as err:
        api.create(type="NodePort", ports=[{"port": 80, "nodePort": 80}])
    assert err.value.status["code"] == 422
    assert err.value.causes[0].field == "spec.ports[0].nodePort"
