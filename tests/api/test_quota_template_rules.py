"""LimitRanges, ResourceQuotas, PodTemplates and ReplicationControllers through the public
face."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from tests.api.rules_helpers import refusal

CONTAINER = {"name": "c", "image": "nginx"}


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    return Cluster()


def limit_range(name: str, *limits: dict) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "LimitRange",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"limits": list(limits)},
    }


def test_limit_range_defaults(cluster: Cluster) -> None:
    # SetDefaults_LimitRangeItem: default from max, defaultRequest from default then min
    item = {"type": "Container", "max": {"cpu": "2"}, "min": {"memory": "1Mi"}}
    (stored,) = cluster.create(limit_range("defaults", item))["spec"]["limits"]
    assert stored["default"] == {"cpu": "2"}
    assert stored["defaultRequest"] == {"cpu": "2", "memory": "1Mi"}


# TestValidateLimitRange (pkg/apis/core/validation/validation_test.go @ v1.33.0)
LIMIT_RANGE_CASES = {
    "all-fields-valid": (
        {
            "type": "Pod",
            "max": {"cpu": "100m", "memory": "10000Mi"},
            "min": {"cpu": "5m", "memory": "100Mi"},
            "maxLimitRequestRatio": {"memory": "20"},
        },
        None,
    ),
    "pvc-min-only": ({"type": "PersistentVolumeClaim", "min": {"storage": "5Gi"}}, None),
    "duplicate-limit-type": (
        [{"type": "Pod", "max": {"cpu": "1"}}, {"type": "Pod", "min": {"cpu": "1m"}}],
        'spec.limits[1].type: Duplicate value: "Pod"',
    ),
    "default-limit-type-pod": (
        {"type": "Pod", "default": {"cpu": "1"}},
        "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'",
    ),
    "invalid-limit-type": (
        {"type": "Bogus", "max": {"cpu": "1"}},
        'spec.limits[0].type: Invalid value: "Bogus": must be a standard limit type or fully '
        "qualified",
    ),
    "pvc-no-minmax": (
        {"type": "PersistentVolumeClaim", "max": {"cpu": "1"}},
        "spec.limits[0].limits: Required value: either minimum or maximum storage value is "
        "required, but neither was provided",
    ),
    "min value greater than max": (
        {"type": "Pod", "max": {"cpu": "10m"}, "min": {"cpu": "100m"}},
        "spec.limits[0].min[cpu]: Invalid value: 100m: min value 100m is greater than max value "
        "10m",
    ),
    "ratio less than 1": (
        {"type": "Pod", "maxLimitRequestRatio": {"memory": "800m"}},
        "spec.limits[0].maxLimitRequestRatio[memory]: Invalid value: 800m: ratio 800m is less "
        "than 1",
    ),
    "ratio greater than max/min": (
        {
            "type": "Container",
            "max": {"memory": "400Mi"},
            "min": {"memory": "200Mi"},
            "maxLimitRequestRatio": {"memory": "10"},
        },
        "spec.limits[0].maxLimitRequestRatio[memory]: Invalid value: 10: ratio 10 is greater "
        "than max/min = 2.000000",
    ),
    "non-container resource in a Pod limit": (
        {"type": "Pod", "max": {"pods": "1"}},
        'spec.limits[0].max[pods]: Invalid value: "pods": must be a standard resource for '
        "containers",
    ),
}


@pytest.mark.parametrize("case", list(LIMIT_RANGE_CASES))
def test_validate_limit_range(cluster: Cluster, case: str) -> None:
    items, message = LIMIT_RANGE_CASES[case]
    name = case.lower().replace(" ", "-").replace("/", "-")
    obj = limit_range(name, *(items if isinstance(items, list) else [items]))
    if message is None:
        cluster.create(obj)
    else:
        assert refusal(cluster, obj) == f'The LimitRange "{name}" is invalid: {message}'


def quota(name: str, **spec: object) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": name, "namespace": "default"},
        "spec": spec,
    }


# TestValidateResourceQuota (validation_test.go @ v1.33.0)
QUOTA_CASES: dict[str, tuple[dict, str | None]] = {
    "success": ({"hard": {"cpu": "100", "memory": "10000", "pods": "10", "services": "0"}}, None),
    "success scopes": ({"hard": {"pods": "10"}, "scopes": ["BestEffort"]}, None),
    "fractional count": (
        {"hard": {"pods": "1.5"}},
        "spec.hard[pods]: Invalid value: 1500m: must be an integer",
    ),
    "negative": (
        {"hard": {"cpu": "-1"}},
        'spec.hard[cpu]: Invalid value: "-1": must be greater than or equal to 0',
    ),
    "non-standard resource": (
        {"hard": {"foo": "1"}},
        '\n* spec.hard[foo]: Invalid value: "foo": must be a standard resource type or fully '
        'qualified\n* spec.hard[foo]: Invalid value: "foo": must be a standard resource for quota',
    ),
    "invalid scope": (
        {"hard": {"pods": "1"}, "scopes": ["BadScope"]},
        'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BadScope"}: unsupported scope',
    ),
    "scope on a resource it does not count": (
        {"hard": {"cpu": "1"}, "scopes": ["BestEffort"]},
        'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort"}: unsupported scope '
        "applied to resource",
    ),
    "conflicting scopes": (
        {"hard": {"pods": "1"}, "scopes": ["Terminating", "NotTerminating"]},
        'spec.scopes: Invalid value: []core.ResourceQuotaScope{"Terminating", "NotTerminating"}: '
        "conflicting scopes",
    ),
    "scope selector operator": (
        {
            "hard": {"pods": "1"},
            "scopeSelector": {
                "matchExpressions": [{"scopeName": "PriorityClass", "operator": "In"}]
            },
        },
        "spec.scopeSelector.matchExpressions.values: Required value: must be at least one value "
        "when `operator` is 'In' or 'NotIn' for scope selector",
    ),
}


@pytest.mark.parametrize("case", list(QUOTA_CASES))
def test_validate_resource_quota(cluster: Cluster, case: str) -> None:
    spec, message = QUOTA_CASES[case]
    name = case.replace(" ", "-")
    if message is None:
        assert cluster.create(quota(name, **spec))["status"] == {}
    else:
        assert refusal(cluster, quota(name, **spec)) == (
            f'The ResourceQuota "{name}" is invalid: {message}'
        )


def test_resource_quota_scopes_are_immutable(cluster: Cluster) -> None:
    cluster.create(quota("scoped", hard={"pods": "1"}, scopes=["BestEffort"]))
    changed = quota("scoped", hard={"pods": "1"}, scopes=["NotBestEffort"])
    assert refusal(cluster, changed, update=True) == (
        'The ResourceQuota "scoped" is invalid: spec.scopes: Invalid value: '
        '[]core.ResourceQuotaScope{"NotBestEffort"}: field is immutable'
    )
    assert cluster.update(quota("scoped", hard={"pods": "2"}, scopes=["BestEffort"]))


def pod_template(name: str, **template: object) -> dict:
    body = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [CONTAINER]}}
    body.update(template)
    return {
        "apiVersion": "v1",
        "kind": "PodTemplate",
        "metadata": {"name": name, "namespace": "default"},
        "template": body,
    }


def test_pod_template(cluster: Cluster) -> None:
    # podtemplate strategy: generation 1; the template defaulted as a PodSpec; ValidatePodTemplate
    stored = cluster.create(pod_template("web"))
    assert stored["metadata"]["generation"] == 1
    assert stored["template"]["spec"]["restartPolicy"] == "Always"
    assert refusal(cluster, pod_template("bad", spec={"containers": []})) == (
        'The PodTemplate "bad" is invalid: template.spec.containers: Required value'
    )


def controller(name: str, **spec: object) -> dict:
    body: dict = {
        "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [CONTAINER]}}
    }
    body.update(spec)
    return {
        "apiVersion": "v1",
        "kind": "ReplicationController",
        "metadata": {"name": name, "namespace": "default"},
        "spec": body,
    }


def test_replication_controller_defaults(cluster: Cluster) -> None:
    # SetDefaults_ReplicationController; the rc strategy's generation and empty status
    stored = cluster.create({**controller("rc-defaults"), "status": {"replicas": 5}})
    assert stored["spec"]["replicas"] == 1
    assert stored["spec"]["selector"] == {"app": "web"}
    assert stored["metadata"]["labels"] == {"app": "web"}
    assert stored["metadata"]["generation"] == 1
    assert stored["status"] == {"replicas": 0}


def template_with(**pod_spec: object) -> dict:
    return {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [CONTAINER], **pod_spec}}


# TestValidateReplicationController (validation_test.go @ v1.33.0)
RC_CASES: dict[str, tuple[dict, str]] = {
    "selector_doesnt_match": (
        {"selector": {"foo": "bar"}},
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: '
        "`selector` does not match template `labels`",
    ),
    "negative_replicas": (
        {"replicas": -1},
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
    ),
    "invalid restart policy": (
        {"template": template_with(restartPolicy="OnFailure")},
        'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: '
        '"Always"',
    ),
    "active deadline": (
        {"template": template_with(activeDeadlineSeconds=10)},
        "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in "
        "ReplicationController is not Supported",
    ),
}


@pytest.mark.parametrize("case", list(RC_CASES))
def test_validate_replication_controller(cluster: Cluster, case: str) -> None:
    spec, message = RC_CASES[case]
    name = case.replace("_", "-").replace(" ", "-")
    assert refusal(cluster, controller(name, **spec)) == (
        f'The ReplicationController "{name}" is invalid: {message}'
    )


def test_replication_controller_without_selector_or_template(cluster: Cluster) -> None:
    obj = controller("empty")
    obj["spec"] = {}
    assert refusal(cluster, obj) == (
        'The ReplicationController "empty" is invalid: \n'
        "* spec.selector: Required value\n"
        "* spec.template: Required value"
    )
