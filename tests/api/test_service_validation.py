"""Service validation: ValidateService / ValidateServiceUpdate, path, wording and order.

Source unless a test says otherwise: kubernetes/kubernetes pkg/apis/core/validation/validation.go
(ValidateService, validateServicePort, validateClientIPAffinityConfig, ValidateNonSpecialIP,
ValidateServiceClusterIPsRelatedFields, validateServiceExternalTrafficPolicy,
validateServiceInternalTrafficFieldsValue, validateServiceTrafficDistribution,
validateLoadBalancerClassField, validateUpgradeDowngradeClusterIPs, ValidateServiceUpdate) and
apimachinery field/errors.go for how bad values print (`%#v` for structs).
"""

from __future__ import annotations

import pytest

from kubenet_nb.api.core.service.defaults import default_service
from kubenet_nb.api.core.service.validation import (
    service_warnings,
    validate_service,
    validate_service_update,
)

DNS1035 = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)
"""apimachinery RegexError: each example is followed by "', " and joined with " or "."""
PORT_RANGE = "must be between 1 and 65535, inclusive"


def service(name: str = "web", **spec: object) -> dict:
    spec.setdefault("ports", [{"port": 80}])
    if spec.get("clusterIP") and "clusterIPs" not in spec:
        spec["clusterIPs"] = [spec["clusterIP"]]
    obj = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": "default"},
        "spec": spec,
    }
    default_service(obj)
    return obj


def errors(name: str = "web", **spec: object) -> list[str]:
    return [str(e) for e in validate_service(service(name, **spec))]


def test_a_plain_service_is_valid() -> None:
    assert errors(selector={"app": "web"}) == []


# -- metadata -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["1web", "Web", "web_1", "web-"])
def test_service_names_are_dns1035_labels(name: str) -> None:
    # ValidateServiceName = NameIsDNS1035Label (RelaxedServiceNameValidation is 1.34+ alpha).
    assert errors(name) == [f'metadata.name: Invalid value: "{name}": {DNS1035}']


def test_name_too_long() -> None:
    name = "a" * 64
    assert errors(name) == [
        f'metadata.name: Invalid value: "{name}": must be no more than 63 characters'
    ]


def test_labels_are_checked() -> None:
    obj = service()
    obj["metadata"]["labels"] = {"app": "bad value"}
    assert next(str(e) for e in validate_service(obj)).startswith(
        'metadata.labels: Invalid value: "bad value": a valid label must be an empty string'
    )


def test_topology_annotations_must_agree() -> None:
    obj = service()
    obj["metadata"]["annotations"] = {
        "service.kubernetes.io/topology-mode": "Auto",
        "service.kubernetes.io/topology-aware-hints": "Disabled",
    }
    assert [str(e) for e in validate_service(obj)] == [
        'metadata.annotations[service.kubernetes.io/topology-mode]: Invalid value: "Auto": '
        "must match annotations[service.kubernetes.io/topology-aware-hints] when both are "
        "specified"
    ]


# -- ports ----------------------------------------------------------------------------------


def test_ports_are_required_except_headless_and_external_name() -> None:
    assert errors(ports=[]) == ["spec.ports: Required value"]
    assert errors(ports=[], clusterIP="None") == []
    assert errors(ports=[], type="ExternalName", externalName="db.example.com") == []


def test_port_names_required_with_two_ports_and_unique() -> None:
    two = [{"port": 80}, {"name": "https", "port": 443}]
    assert errors(ports=two) == ["spec.ports[0].name: Required value"]
    same = [{"name": "web", "port": 80}, {"name": "web", "port": 443}]
    assert errors(ports=same) == ['spec.ports[1].name: Duplicate value: "web"']


def test_port_names_are_dns1123_labels_not_iana_names() -> None:
    # Longer than 15 characters and all digits are fine: DNS-1123 label, not IANA_SVC_NAME.
    ports = [{"name": "a-very-long-port-name-indeed", "port": 80}, {"name": "8443", "port": 81}]
    assert errors(ports=ports) == []
    assert errors(ports=[{"name": "Http", "port": 80}]) == [
        'spec.ports[0].name: Invalid value: "Http": a lowercase RFC 1123 label must consist of '
        "lower case alphanumeric characters or '-', and must start and end with an alphanumeric "
        "character (e.g. 'my-name',  or '123-abc', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    ]


@pytest.mark.parametrize("port", [0, 65536, -1])
def test_port_number_range(port: int) -> None:
    assert errors(ports=[{"port": port, "targetPort": 80}]) == [
        f"spec.ports[0].port: Invalid value: {port}: {PORT_RANGE}"
    ]


def test_a_missing_port_is_zero_and_so_is_its_target_port() -> None:
    assert errors(ports=[{"protocol": "TCP"}]) == [
        f"spec.ports[0].port: Invalid value: 0: {PORT_RANGE}",
        f"spec.ports[0].targetPort: Invalid value: 0: {PORT_RANGE}",
    ]


def test_protocol_must_be_supported() -> None:
    assert errors(ports=[{"port": 80, "protocol": "HTTP"}]) == [
        'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'
    ]


def test_target_port_number_or_iana_name() -> None:
    assert errors(ports=[{"port": 80, "targetPort": 70000}]) == [
        f"spec.ports[0].targetPort: Invalid value: 70000: {PORT_RANGE}"
    ]
    assert errors(ports=[{"port": 80, "targetPort": "8080"}]) == [
        'spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)'
    ]
    assert errors(ports=[{"port": 80, "targetPort": "http-web-server-x"}]) == [
        'spec.ports[0].targetPort: Invalid value: "http-web-server-x": must be no more than 15 '
        "characters"
    ]


def test_same_port_twice_needs_different_protocols() -> None:
    dns = [{"name": "dns", "port": 53, "protocol": "UDP"}, {"name": "dns-tcp", "port": 53}]
    assert errors(ports=dns) == []
    twice = [{"name": "a", "port": 80}, {"name": "b", "port": 80, "targetPort": 8080}]
    assert errors(ports=twice) == [
        'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", '
        "AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, "
        'StrVal:""}, NodePort:0}'
    ]


def test_node_port_forbidden_for_cluster_ip() -> None:
    assert errors(ports=[{"port": 80, "nodePort": 30080}]) == [
        "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"
    ]


def test_duplicate_node_ports_per_protocol() -> None:
    ports = [
        {"name": "a", "port": 80, "nodePort": 30080},
        {"name": "b", "port": 81, "nodePort": 30080},
        {"name": "c", "port": 82, "nodePort": 30080, "protocol": "UDP"},
    ]
    assert errors(type="NodePort", ports=ports) == [
        "spec.ports[1].nodePort: Duplicate value: 30080"
    ]


def test_app_protocol_is_a_qualified_name() -> None:
    assert errors(ports=[{"port": 80, "appProtocol": "kubernetes.io/h2c"}]) == []
    assert errors(ports=[{"port": 80, "appProtocol": "-h2c"}])[0].startswith(
        'spec.ports[0].appProtocol: Invalid value: "-h2c": name part must consist of'
    )


# -- type-specific rules --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["NodePort", "LoadBalancer"])
def test_headless_is_only_for_cluster_ip(kind: str) -> None:
    assert errors(type=kind, clusterIP="None") == [
        f"spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for {kind} services"
    ]


def test_external_name_rules() -> None:
    assert errors(type="ExternalName") == ["spec.externalName: Required value"]
    assert errors(type="ExternalName", externalName="db.example.com.") == []
    assert errors(type="ExternalName", externalName="10.0.0.1") == []  # accepted as a name
    assert errors(type="ExternalName", externalName="DB.example.com")[0].startswith(
        'spec.externalName: Invalid value: "DB.example.com": a lowercase RFC 1123 subdomain'
    )
    assert errors(
        type="ExternalName", externalName="db", clusterIP="10.96.0.5", ipFamilyPolicy="SingleStack"
    ) == [
        "spec.clusterIPs: Forbidden: may not be set for ExternalName services",
        "spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services",
    ]


def test_session_affinity() -> None:
    assert errors(sessionAffinity="Sticky") == [
        'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'
    ]
    for timeout in (0, 86401):
        config = {"clientIP": {"timeoutSeconds": timeout}}
        assert errors(sessionAffinity="ClientIP", sessionAffinityConfig=config) == [
            f"spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: {timeout}: "
            "must be greater than 0 and less than 86400"
        ]
    config = {"clientIP": {"timeoutSeconds": 86400}}
    assert errors(sessionAffinity="ClientIP", sessionAffinityConfig=config) == []


def test_undefaulted_affinity_config_for_none_is_forbidden() -> None:
    obj = service()
    obj["spec"]["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": 10}}
    assert [str(e) for e in validate_service(obj)] == [
        "spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None"
    ]


@pytest.mark.parametrize(
    ("ip", "reason"),
    [
        ("0.0.0.0", "may not be unspecified (0.0.0.0)"),
        ("127.0.0.1", "may not be in the loopback range (127.0.0.0/8, ::1/128)"),
        ("169.254.169.254", "may not be in the link-local range (169.254.0.0/16, fe80::/10)"),
        ("224.0.0.251", "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"),
        ("::1", "may not be in the loopback range (127.0.0.0/8, ::1/128)"),
    ],
)
def test_external_ips_must_not_be_special(ip: str, reason: str) -> None:
    assert errors(externalIPs=[ip]) == [f'spec.externalIPs[0]: Invalid value: "{ip}": {reason}']


def test_external_ips_must_be_ips() -> None:
    assert errors(externalIPs=["203.0.113.7", "nope"]) == [
        'spec.externalIPs[1]: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 '
        "or 2001:db8::ffff)"
    ]


def test_unknown_type() -> None:
    assert errors(type="Ingress") == [
        'spec.type: Unsupported value: "Ingress": supported values: "ClusterIP", '
        '"ExternalName", "LoadBalancer", "NodePort"'
    ]


def test_load_balancer_only_fields() -> None:
    # Note upstream's capital L in the field path.
    assert errors(loadBalancerSourceRanges=["10.0.0.0/8", "10.0.0.1"]) == [
        "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
        'spec.LoadBalancerSourceRanges[1]: Invalid value: "10.0.0.1": must be a valid CIDR '
        "value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
    ]
    assert errors(type="LoadBalancer", loadBalancerSourceRanges=[" 10.0.0.0/8 "]) == []
    assert errors(type="NodePort", allocateLoadBalancerNodePorts=True) == [
        "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is "
        "'LoadBalancer'"
    ]
    assert errors(loadBalancerClass="example.com/lb") == [
        "spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'"
    ]


def test_source_ranges_annotation() -> None:
    obj = service()
    key = "service.beta.kubernetes.io/load-balancer-source-ranges"
    obj["metadata"]["annotations"] = {key: "10.0.0.0/8, bad"}
    assert [str(e) for e in validate_service(obj)] == [
        f"metadata.annotations[{key}]: Forbidden: may only be used when `type` is 'LoadBalancer'",
        f'metadata.annotations[{key}]: Invalid value: "bad": must be a valid CIDR value, (e.g. '
        "10.9.8.0/24 or 2001:db8::/64)",
    ]


def test_external_traffic_policy_only_where_externally_accessible() -> None:
    assert errors(externalTrafficPolicy="Local") == [
        'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for '
        "externally-accessible services"
    ]
    assert errors(externalTrafficPolicy="Local", externalIPs=["203.0.113.7"]) == []
    assert errors(type="NodePort", externalTrafficPolicy="Nearest") == [
        'spec.externalTrafficPolicy: Unsupported value: "Nearest": supported values: '
        '"Cluster", "Local"'
    ]


def test_health_check_node_port_rules() -> None:
    assert errors(type="NodePort", externalTrafficPolicy="Local", healthCheckNodePort=30500) == [
        "spec.healthCheckNodePort: Invalid value: 30500: may only be set when `type` is "
        "'LoadBalancer' and `externalTrafficPolicy` is 'Local'"
    ]
    assert errors(type="LoadBalancer", externalTrafficPolicy="Local") == [
        "spec.healthCheckNodePort: Required value"
    ]
    assert errors(
        type="LoadBalancer", externalTrafficPolicy="Local", healthCheckNodePort=70000
    ) == [f"spec.healthCheckNodePort: Invalid value: 70000: {PORT_RANGE}"]


def test_internal_traffic_policy_and_traffic_distribution() -> None:
    assert errors(internalTrafficPolicy="Node") == [
        'spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", '
        '"Local"'
    ]
    assert errors(trafficDistribution="PreferClose") == []
    # v1.33: PreferSameZone/PreferSameNode sit behind an alpha gate, off by default.
    assert errors(trafficDistribution="PreferSameZone") == [
        'spec.trafficDistribution: Unsupported value: "PreferSameZone": supported values: '
        '"PreferClose"'
    ]


def test_selector_labels_are_checked() -> None:
    assert errors(selector={"app": "web/1"})[0].startswith(
        'spec.selector: Invalid value: "web/1": a valid label must be'
    )


# -- clusterIP(s) and IP families -----------------------------------------------------------


def test_cluster_ips_must_start_with_cluster_ip() -> None:
    assert errors(clusterIP="10.96.0.5", clusterIPs=["10.96.0.6"]) == [
        'spec.clusterIPs: Invalid value: []string{"10.96.0.6"}: first value must match `clusterIP`'
    ]
    assert errors(clusterIPs=["10.96.0.6"]) == [
        'spec.clusterIPs: Invalid value: []string{"10.96.0.6"}: must be empty when `clusterIP` '
        "is not specified"
    ]


def test_cluster_ip_must_be_an_ip() -> None:
    assert errors(clusterIP="10.96.0.300") == [
        'spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. '
        "10.9.8.7 or 2001:db8::ffff)"
    ]


def test_ip_family_values() -> None:
    assert errors(ipFamilies=["IPv5"], ipFamilyPolicy="Sometimes") == [
        'spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"',
        'spec.ipFamilyPolicy: Unsupported value: "Sometimes": supported values: '
        '"PreferDualStack", "RequireDualStack", "SingleStack"',
    ]
    assert errors(clusterIP="10.96.0.5", ipFamilies=["IPv6"]) == [
        'spec.clusterIPs[0]: Invalid value: "10.96.0.5": expected an IPv6 value as indicated by '
        "`ipFamilies[0]`"
    ]
    assert errors(clusterIP="10.96.0.5", clusterIPs=["10.96.0.5", "10.96.0.6"]) == [
        'spec.clusterIPs: Invalid value: []string{"10.96.0.5", "10.96.0.6"}: may specify no '
        "more than one IP for each IP family"
    ]


def test_errors_come_in_upstream_order() -> None:
    found = errors(
        "Web",
        type="NodePort",
        sessionAffinity="Sticky",
        externalIPs=["127.0.0.1"],
        ports=[{"port": 0, "nodePort": 30080}, {"name": "b", "port": 81, "nodePort": 30080}],
    )
    assert [e.split(":")[0] for e in found] == [
        "metadata.name",
        "spec.ports[0].name",
        "spec.ports[0].port",
        "spec.ports[0].targetPort",
        "spec.sessionAffinity",
        "spec.externalIPs[0]",
        "spec.ports[1].nodePort",
    ]


# -- update ---------------------------------------------------------------------------------


def stored(**spec: object) -> dict:
    obj = service(**spec)
    obj["metadata"].update(uid="u-1", resourceVersion="1", generation=1)
    obj["spec"].update(ipFamilies=["IPv4"], ipFamilyPolicy="SingleStack")
    return obj


def test_cluster_ip_may_not_change() -> None:
    old = stored(clusterIP="10.96.0.5")
    new = stored(clusterIP="10.96.0.6")
    assert [str(e) for e in validate_service_update(new, old)] == [
        'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.6"}: may not change once set'
    ]


def test_primary_cluster_ip_can_not_be_unset() -> None:
    old = stored(clusterIP="10.96.0.5")
    new = stored()
    assert next(str(e) for e in validate_service_update(new, old)) == (
        "spec.clusterIPs[0]: Invalid value: []string(nil): primary clusterIP can not be unset"
    )


def test_health_check_node_port_is_immutable() -> None:
    lb = {"type": "LoadBalancer", "externalTrafficPolicy": "Local", "clusterIP": "10.96.0.5"}
    old, new = stored(**lb, healthCheckNodePort=30500), stored(**lb, healthCheckNodePort=30501)
    assert [str(e) for e in validate_service_update(new, old)] == [
        "spec.healthCheckNodePort: Forbidden: field is immutable"
    ]


def test_load_balancer_class_may_not_change() -> None:
    old = stored(type="LoadBalancer", clusterIP="10.96.0.5", loadBalancerClass="a.io/x")
    new = stored(type="LoadBalancer", clusterIP="10.96.0.5", loadBalancerClass="a.io/y")
    assert [str(e) for e in validate_service_update(new, old)] == [
        'spec.loadBalancerClass: Invalid value: "a.io/y": may not change once set'
    ]


def test_uid_is_immutable_and_spec_is_validated_too() -> None:
    old = stored(clusterIP="10.96.0.5")
    new = stored(clusterIP="10.96.0.5", sessionAffinity="Sticky")
    new["metadata"]["uid"] = "u-2"
    assert [str(e) for e in validate_service_update(new, old)] == [
        'metadata.uid: Invalid value: "u-2": field is immutable',
        'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"',
    ]


# -- warnings -------------------------------------------------------------------------------


def test_warnings() -> None:
    # pkg/api/service/warnings.go GetWarningsForService: topology-aware-hints deprecation (1.27),
    # ExternalName/externalIPs combinations (#119310, v1.28).
    obj = service(clusterIP="None", sessionAffinity="ClientIP", externalName="x.example.com")
    obj["metadata"]["annotations"] = {"service.kubernetes.io/topology-aware-hints": "Auto"}
    assert service_warnings(obj) == [
        "annotation service.kubernetes.io/topology-aware-hints is deprecated, please use "
        "service.kubernetes.io/topology-mode instead",
        'spec.externalName is ignored when spec.type is not "ExternalName"',
    ]
    external = service(type="ExternalName", externalName="db.example.com")
    external["spec"]["externalIPs"] = ["203.0.113.7"]
    assert service_warnings(external) == [
        'spec.externalIPs is ignored when spec.type is "ExternalName"'
    ]
    # Headless warnings arrived in v1.34 (#132214): none on v1.33.
    assert service_warnings(service(clusterIP="None")) == []
    assert service_warnings(service()) == []
