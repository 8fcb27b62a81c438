"""`kubectl describe` for PodDisruptionBudgets and PriorityClasses (describe/policy.py)."""

from __future__ import annotations

from kubenet_nb import Cluster


def test_pod_disruption_budget() -> None:
    # kubernetes/kubectl pkg/describe/describe_test.go @ v0.33.1 TestDescribePodDisruptionBudgetV1:
    # minAvailable 22. The disruption controller (kubernetes pkg/controller/disruption/
    # disruption.go @ v1.33.0) finds no pods (no selector selects none): desiredHealthy is the
    # integer minAvailable, and each sync (the create, then its own status write) says NoPods.
    c = Cluster()
    c.kubectl("create namespace ns1")
    c.create(
        {
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": {"name": "pdb1", "namespace": "ns1"},
            "spec": {"minAvailable": 22},
        }
    )
    assert c.kubectl("describe pdb pdb1 -n ns1") == (
        "Name:           pdb1\n"
        "Namespace:      ns1\n"
        "Min available:  22\n"
        "Selector:       <unset>\n"
        "Status:\n"
        "    Allowed disruptions:  0\n"
        "    Current:              0\n"
        "    Desired:              22\n"
        "    Total:                0\n"
        "Events:\n"
        "  Type    Reason  Age              From               Message\n"
        "  ----    ------  ----             ----               -------\n"
        "  Normal  NoPods  0s (x2 over 0s)  controllermanager  No matching pods found"
    )


def test_pod_disruption_budget_max_unavailable_with_selector() -> None:
    c = Cluster()
    c.create(
        {
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": {"name": "web"},
            "spec": {"maxUnavailable": "25%", "selector": {"matchLabels": {"app": "web"}}},
        }
    )
    text = c.kubectl("describe pdb web --show-events=false")
    assert "Max unavailable:  25%\nSelector:         app=web\n" in text


def test_priority_class() -> None:
    # describe_test.go TestDescribePriorityClass "test2" (PreemptNever, globalDefault true).
    c = Cluster()
    c.create(
        {
            "apiVersion": "scheduling.k8s.io/v1",
            "kind": "PriorityClass",
            "metadata": {"name": "bar"},
            "value": 100,
            "globalDefault": True,
            "preemptionPolicy": "Never",
            "description": "test2",
        }
    )
    assert c.kubectl("describe priorityclass bar") == (
        "Name:              bar\n"
        "Value:             100\n"
        "GlobalDefault:     true\n"
        "PreemptionPolicy:  Never\n"
        "Description:       test2\n"
        "Annotations:       <none>\n"
        "Events:            <none>"
    )
