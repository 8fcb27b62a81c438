"""PriorityClasses and RuntimeClasses through the public face."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from tests.api.rules_helpers import refusal


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    return Cluster()


def priority_class(name: str, value: int = 100, **fields: object) -> dict:
    return {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": {"name": name},
        "value": value,
        **fields,
    }


def test_priority_class_default(cluster: Cluster) -> None:
    # pkg/apis/scheduling/v1/defaults.go SetDefaults_PriorityClass
    assert cluster.create(priority_class("tier1"))["preemptionPolicy"] == "PreemptLowerPriority"


# TestValidatePriorityClass (pkg/apis/scheduling/validation/validation_test.go @ v1.33.0)
PRIORITY_CLASS_CASES = {
    "valid": (priority_class("valid"), None),
    "never preempts": (priority_class("never", preemptionPolicy="Never"), None),
    "incorrect system class name": (
        priority_class("system-something", 2000000000),
        'The PriorityClass "system-something" is invalid: metadata.name: Forbidden: priority '
        "class names with 'system-' prefix are reserved for system use only. error: "
        "system-something is not a known system priority class",
    ),
    "incorrect system class value": (
        priority_class("system-cluster-critical", 10),
        'The PriorityClass "system-cluster-critical" is invalid: metadata.name: Forbidden: '
        "priority class names with 'system-' prefix are reserved for system use only. error: "
        "value of system-cluster-critical PriorityClass must be 2000000000",
    ),
    "too high a value": (
        priority_class("too-high", 1000000001),
        'The PriorityClass "too-high" is invalid: value: Forbidden: maximum allowed value of a '
        "user defined priority is 1000000000",
    ),
    "invalid preemption policy": (
        priority_class("bad-policy", preemptionPolicy="foo"),
        'The PriorityClass "bad-policy" is invalid: preemptionPolicy: Unsupported value: "foo": '
        'supported values: "PreemptLowerPriority", "Never"',
    ),
}


@pytest.mark.parametrize("case", list(PRIORITY_CLASS_CASES))
def test_validate_priority_class(cluster: Cluster, case: str) -> None:
    obj, message = PRIORITY_CLASS_CASES[case]
    if message is None:
        cluster.create(obj)
    else:
        assert refusal(cluster, obj) == message


def test_priority_class_update(cluster: Cluster) -> None:
    # TestValidatePriorityClassUpdate: value and preemptionPolicy are fixed, the rest may change
    cluster.create(priority_class("fixed"))
    changed = priority_class("fixed", 200, preemptionPolicy="Never")
    assert refusal(cluster, changed, update=True) == (
        'The PriorityClass "fixed" is invalid: \n'
        "* value: Forbidden: may not be changed in an update.\n"
        '* preemptionPolicy: Invalid value: "Never": field is immutable'
    )
    described = priority_class("fixed", description="gold")
    assert cluster.update(described)["description"] == "gold"


def runtime_class(name: str, handler: str, **fields: object) -> dict:
    return {
        "apiVersion": "node.k8s.io/v1",
        "kind": "RuntimeClass",
        "metadata": {"name": name},
        "handler": handler,
        **fields,
    }


def test_runtime_class(cluster: Cluster) -> None:
    # TestValidateRuntimeClass / TestValidateRuntimeUpdate (pkg/apis/node/validation)
    cluster.create(runtime_class("gvisor", "runsc"))
    assert refusal(cluster, runtime_class("bad", "Run_c")) == (
        'The RuntimeClass "bad" is invalid: handler: Invalid value: "Run_c": a lowercase RFC 1123 '
        "label must consist of lower case alphanumeric characters or '-', and must start and end "
        "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
        "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    )
    assert refusal(cluster, runtime_class("gvisor", "kata"), update=True) == (
        'The RuntimeClass "gvisor" is invalid: handler: Invalid value: "kata": field is immutable'
    )
    overhead = {"podFixed": {"cpu": "-1"}}
    assert refusal(cluster, runtime_class("heavy", "runc", overhead=overhead)) == (
        'The RuntimeClass "heavy" is invalid: overhead.podFixed[cpu]: Invalid value: "-1": '
        "must be greater than or equal to 0"
    )
