"""Namespaces and Nodes: defaults and validation."""

from __future__ import annotations

import copy

from kubenet_nb.api.core.nodes import (
    default_namespace,
    default_namespace_update,
    default_node,
    validate_namespace,
    validate_namespace_update,
    validate_node,
    validate_node_update,
)
from kubenet_nb.api.names import is_dns1123_label


def texts(errs: list) -> list[str]:
    return [str(e) for e in errs]


def namespace(name: str = "prod") -> dict:
    obj = {"kind": "Namespace", "metadata": {"name": name}}
    default_namespace(obj)
    return obj


def test_namespace_defaults() -> None:
    # core/v1 defaults.go SetDefaults_Namespace; registry/core/namespace strategy PrepareForCreate
    assert namespace() == {
        "kind": "Namespace",
        "metadata": {"name": "prod", "labels": {"kubernetes.io/metadata.name": "prod"}},
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }
    assert validate_namespace(namespace()) == []


def test_namespace_names_are_dns_labels() -> None:
    obj = namespace("My_NS")
    obj["metadata"]["labels"] = {}
    assert texts(validate_namespace(obj)) == [
        f'metadata.name: Invalid value: "My_NS": {msg}' for msg in is_dns1123_label("My_NS")
    ]


def test_namespace_spec_finalizers_path_has_no_index() -> None:
    # validation.go ValidateNamespace passes field.NewPath("spec", "finalizers") to each check
    obj = namespace()
    obj["spec"]["finalizers"].append("custom")
    assert texts(validate_namespace(obj)) == [
        'spec.finalizers: Invalid value: "custom": '
        "name is neither a standard finalizer name nor is it fully qualified"
    ]


def test_namespace_update_keeps_finalizers_status_and_name_label() -> None:
    old = namespace()
    new = copy.deepcopy(old)
    new["metadata"]["labels"]["kubernetes.io/metadata.name"] = "other"
    new["metadata"]["labels"]["team"] = "a"
    new["spec"]["finalizers"] = []
    new["status"] = {"phase": "Terminating"}
    default_namespace_update(new, old)
    assert new["metadata"]["labels"] == {"kubernetes.io/metadata.name": "prod", "team": "a"}
    assert new["spec"] == {"finalizers": ["kubernetes"]}
    assert new["status"] == {"phase": "Active"}
    assert validate_namespace_update(new, old) == []


def node(**spec: object) -> dict:
    obj = {"kind": "Node", "metadata": {"name": "kind-worker"}, "spec": dict(spec)}
    default_node(obj)
    return obj


def test_pod_cidr_fields_mirror_each_other() -> None:
    assert node(podCIDR="10.244.1.0/24")["spec"] == {
        "podCIDR": "10.244.1.0/24",
        "podCIDRs": ["10.244.1.0/24"],
    }
    dual = node(podCIDRs=["10.244.1.0/24", "fd00:10:244:1::/64"])
    assert dual["spec"]["podCIDR"] == "10.244.1.0/24"
    assert validate_node(dual) == []


def test_pod_cidrs_must_be_valid_and_one_per_family() -> None:
    # validation.go ValidateNode; apimachinery util/validation/ip.go IsValidCIDR
    assert texts(validate_node(node(podCIDRs=["10.244.1.0/33"]))) == [
        'spec.podCIDRs[0]: Invalid value: "10.244.1.0/33": '
        "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
    ]
    assert texts(validate_node(node(podCIDRs=["10.0.0.0/24", "10.0.0.0/24"]))) == [
        'spec.podCIDRs: Invalid value: []string{"10.0.0.0/24", "10.0.0.0/24"}: '
        "may specify no more than one CIDR for each IP family",
        'spec.podCIDRs[1]: Duplicate value: "10.0.0.0/24"',
    ]


def test_taints_are_checked_under_metadata_taints() -> None:
    # validation.go ValidateNode passes the metadata path to validateNodeTaints
    obj = node(
        taints=[
            {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"},
            {"key": "dedicated", "value": "cpu", "effect": "NoSchedule"},
            {"key": "x", "effect": "Sometimes"},
            {"key": "y"},
        ]
    )
    assert texts(validate_node(obj)) == [
        'metadata.taints[1]: Duplicate value: core.Taint{Key:"dedicated", Value:"cpu", '
        'Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: '
        "taints must be unique by key and effect pair",
        'metadata.taints[2].effect: Unsupported value: "Sometimes": '
        'supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
        "metadata.taints[3].effect: Required value",
    ]


def test_node_update_keeps_pod_cidrs() -> None:
    old = node(podCIDRs=["10.244.1.0/24"])
    new = node(podCIDRs=["10.244.2.0/24"], unschedulable=True)
    assert texts(validate_node_update(new, old)) == [
        'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid'
    ]
    assert validate_node_update(node(podCIDRs=["10.244.1.0/24"]), node()) == []
