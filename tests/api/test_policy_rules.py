"""PodDisruptionBudgets through the public face.

Sources: kubernetes/kubernetes pkg/apis/policy/validation/validation.go and validation_test.go @
v1.33.0 (TestValidateMinAvailablePodDisruptionBudgetSpec,
TestValidateMinAvailablePodAndMaxUnavailableDisruptionBudgetSpec,
TestValidatePodDisruptionBudgetSpec "-1%", "101%", "-1", TestValidateUnhealthyPodEvictionPolicy),
pkg/registry/policy/poddisruptionbudget/strategy.go (status reset, generation).
"""

from __future__ import annotations

import pytest
from rules_helpers import as_stored, refusal

from kubenet_nb import Cluster

PERCENT = (
    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  "
    "or '93%', regex used for validation is '[0-9]+%')"
)


@pytest.fixture
def cluster() -> Cluster:
    return Cluster()


def pdb(**spec: object) -> dict:
    spec.setdefault("selector", {"matchLabels": {"app": "web"}})
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": spec,
    }


def test_zero_status_and_generation(cluster: Cluster) -> None:
    obj = pdb(minAvailable="50%")
    obj["status"] = {"disruptionsAllowed": 5}
    stored = as_stored(cluster, obj)
    assert stored["status"] == {
        "currentHealthy": 0,
        "desiredHealthy": 0,
        "disruptionsAllowed": 0,
        "expectedPods": 0,
    }
    assert stored["metadata"]["generation"] == 1
    assert stored["spec"] == {"minAvailable": "50%", "selector": {"matchLabels": {"app": "web"}}}


def test_both_budgets(cluster: Cluster) -> None:
    assert refusal(cluster, pdb(minAvailable=1, maxUnavailable=1)) == (
        'The PodDisruptionBudget "web" is invalid: spec: Invalid value: '
        "policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000000000), "
        "Selector:(*v1.LabelSelector)(0xc000000000), MaxUnavailable:"
        "(*intstr.IntOrString)(0xc000000000), UnhealthyPodEvictionPolicy:"
        "(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable "
        "cannot be both set"
    )


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("minAvailable", -1, "Invalid value: -1: must be greater than or equal to 0"),
        (
            "minAvailable",
            "101%",
            'Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"101%"}: must not be '
            "greater than 100%",
        ),
        (
            "maxUnavailable",
            "-1%",
            'Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"-1%"}: ' + PERCENT,
        ),
    ],
)
def test_budget_values(cluster: Cluster, key: str, value: object, message: str) -> None:
    assert refusal(cluster, pdb(**{key: value})) == (
        f'The PodDisruptionBudget "web" is invalid: spec.{key}: {message}'
    )


def test_eviction_policy(cluster: Cluster) -> None:
    assert refusal(cluster, pdb(unhealthyPodEvictionPolicy="Never")) == (
        'The PodDisruptionBudget "web" is invalid: spec.unhealthyPodEvictionPolicy: Unsupported '
        'value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"'
    )
    cluster.create(pdb(maxUnavailable=1, unhealthyPodEvictionPolicy="AlwaysAllow"))


def test_updates_allowed_in_v1(cluster: Cluster) -> None:
    cluster.create(pdb(minAvailable=1))
    changed = cluster.get("PodDisruptionBudget", "web")
    changed["spec"]["minAvailable"] = 2
    cluster.update(changed)
    stored = cluster.get("PodDisruptionBudget", "web")
    assert (stored["spec"]["minAvailable"], stored["metadata"]["generation"]) == (2, 2)
