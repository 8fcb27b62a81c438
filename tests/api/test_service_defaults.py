"""Service defaulting: SetDefaults_Service, field by field.

Source: kubernetes/kubernetes pkg/apis/core/v1/defaults.go SetDefaults_Service, with
pkg/api/service/util.go ExternallyAccessible and core/v1 types.go
DefaultClientIPServiceAffinitySeconds, all @ v1.33.0.
"""

from __future__ import annotations

import copy

import pytest

from kubenet_nb.api.core.service.defaults import default_service


def defaulted(**spec: object) -> dict:
    obj = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": spec}
    default_service(obj)
    return obj["spec"]


def test_minimal_service() -> None:
    spec = defaulted(selector={"app": "web"}, ports=[{"port": 80}])
    assert spec == {
        "selector": {"app": "web"},
        "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
        "sessionAffinity": "None",
        "type": "ClusterIP",
        "internalTrafficPolicy": "Cluster",
    }


def test_missing_spec_is_created() -> None:
    obj = {"kind": "Service", "metadata": {"name": "web"}}
    default_service(obj)
    assert obj["spec"]["type"] == "ClusterIP"


@pytest.mark.parametrize("target", [None, 0, ""])
def test_target_port_defaults_to_port_when_unset_zero_or_empty(target: object) -> None:
    # defaults.go: TargetPort == FromInt32(0) || == FromString("") -> FromInt32(Port).
    port = {"port": 8080} if target is None else {"port": 8080, "targetPort": target}
    assert defaulted(ports=[port])["ports"][0]["targetPort"] == 8080


def test_named_target_port_and_protocol_are_kept() -> None:
    spec = defaulted(ports=[{"port": 53, "protocol": "UDP", "targetPort": "dns"}])
    assert spec["ports"][0] == {"port": 53, "protocol": "UDP", "targetPort": "dns"}


def test_client_ip_affinity_gets_three_hours() -> None:
    # types.go DefaultClientIPServiceAffinitySeconds = 10800.
    spec = defaulted(sessionAffinity="ClientIP", ports=[{"port": 80}])
    assert spec["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}
    spec = defaulted(sessionAffinity="ClientIP", sessionAffinityConfig={"clientIP": {}})
    assert spec["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}


def test_client_ip_timeout_given_is_kept() -> None:
    config = {"clientIP": {"timeoutSeconds": 60}}
    spec = defaulted(sessionAffinity="ClientIP", sessionAffinityConfig=config)
    assert spec["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 60}}


def test_affinity_none_drops_the_config() -> None:
    # defaults.go: SessionAffinity None -> SessionAffinityConfig = nil.
    spec = defaulted(sessionAffinityConfig={"clientIP": {"timeoutSeconds": 60}})
    assert spec["sessionAffinity"] == "None"
    assert "sessionAffinityConfig" not in spec


@pytest.mark.parametrize("kind", ["NodePort", "LoadBalancer"])
def test_external_traffic_policy_for_node_port_and_load_balancer(kind: str) -> None:
    assert defaulted(type=kind)["externalTrafficPolicy"] == "Cluster"
    assert defaulted(type=kind, externalTrafficPolicy="Local")["externalTrafficPolicy"] == "Local"


def test_external_traffic_policy_for_cluster_ip_only_with_external_ips() -> None:
    # util.go ExternallyAccessible: ClusterIP counts when it has externalIPs.
    assert defaulted(externalIPs=["198.51.100.7"])["externalTrafficPolicy"] == "Cluster"
    assert "externalTrafficPolicy" not in defaulted()
    assert "externalTrafficPolicy" not in defaulted(type="ExternalName", externalName="a.b")


def test_internal_traffic_policy_not_for_external_name() -> None:
    assert "internalTrafficPolicy" not in defaulted(type="ExternalName", externalName="a.b")
    for kind in ("ClusterIP", "NodePort", "LoadBalancer"):
        assert defaulted(type=kind)["internalTrafficPolicy"] == "Cluster"
    assert defaulted(internalTrafficPolicy="Local")["internalTrafficPolicy"] == "Local"


def test_allocate_load_balancer_node_ports_only_for_load_balancer() -> None:
    assert defaulted(type="LoadBalancer")["allocateLoadBalancerNodePorts"] is True
    spec = defaulted(type="LoadBalancer", allocateLoadBalancerNodePorts=False)
    assert spec["allocateLoadBalancerNodePorts"] is False
    assert "allocateLoadBalancerNodePorts" not in defaulted(type="NodePort")


def test_load_balancer_ingress_ip_gets_ip_mode_vip() -> None:
    # defaults.go, LoadBalancerIPMode: an ingress IP without ipMode gets VIP.
    obj = {
        "kind": "Service",
        "spec": {"type": "LoadBalancer"},
        "status": {"loadBalancer": {"ingress": [{"ip": "172.18.255.200"}, {"hostname": "lb"}]}},
    }
    default_service(obj)
    assert obj["status"]["loadBalancer"]["ingress"] == [
        {"ip": "172.18.255.200", "ipMode": "VIP"},
        {"hostname": "lb"},
    ]


def test_ip_families_are_not_defaulted_here() -> None:
    # They depend on the cluster and are set at allocation time (registry alloc.go).
    spec = defaulted(ports=[{"port": 80}])
    assert "ipFamilies" not in spec
    assert "ipFamilyPolicy" not in spec


def test_defaulting_is_idempotent() -> None:
    obj = {
        "kind": "Service",
        "metadata": {"name": "web"},
        "spec": {"type": "LoadBalancer", "sessionAffinity": "ClientIP", "ports": [{"port": 80}]},
    }
    default_service(obj)
    once = copy.deepcopy(obj)
    default_service(obj)
    assert obj == once
