"""Deployments and ReplicaSets: defaults, validation wording, update rules, warnings."""

from __future__ import annotations

import copy

from kubenet_nb.api.apps.workloads import (
    default_deployment,
    default_replicaset,
    deployment_warnings,
    replicaset_warnings,
    validate_deployment,
    validate_deployment_update,
    validate_replicaset,
    validate_replicaset_update,
)


def deployment(labels: dict | None = None, selector: dict | None = None, **spec: object) -> dict:
    labels = {"app": "web"} if labels is None else labels
    body = {
        "selector": {"matchLabels": {"app": "web"}} if selector is None else selector,
        "template": {
            "metadata": {"labels": labels},
            "spec": {"containers": [{"name": "nginx", "image": "nginx"}]},
        },
        **spec,
    }
    return {"kind": "Deployment", "metadata": {"name": "web", "namespace": "default"}, "spec": body}


def defaulted(obj: dict) -> dict:
    default_deployment(obj)
    return obj


def texts(errs: list) -> list[str]:
    return [str(e) for e in errs]


def test_deployment_defaults() -> None:
    # pkg/apis/apps/v1/defaults.go SetDefaults_Deployment; templates get PodSpec defaults only
    obj = defaulted(deployment())
    spec = obj["spec"]
    assert spec["replicas"] == 1
    assert spec["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"},
    }
    assert spec["revisionHistoryLimit"] == 10
    assert spec["progressDeadlineSeconds"] == 600
    template = spec["template"]
    assert template["metadata"] == {"labels": {"app": "web"}, "creationTimestamp": None}
    assert template["spec"] == {
        "containers": [
            {
                "name": "nginx",
                "image": "nginx",
                "imagePullPolicy": "Always",
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
                "resources": {},
            }
        ],
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": "Always",
        "securityContext": {},
        "terminationGracePeriodSeconds": 30,
        "schedulerName": "default-scheduler",
    }
    assert validate_deployment(obj) == []


def test_recreate_strategy_gets_no_rolling_update() -> None:
    obj = defaulted(deployment(strategy={"type": "Recreate"}))
    assert obj["spec"]["strategy"] == {"type": "Recreate"}
    assert validate_deployment(obj) == []


def test_selector_must_match_template_labels() -> None:
    # apps validation.go ValidatePodTemplateSpecForReplicaSet
    errs = validate_deployment(defaulted(deployment(labels={"app": "other"})))
    assert texts(errs) == [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: '
        "`selector` does not match template `labels`"
    ]


def test_selector_is_required_and_not_empty() -> None:
    missing = defaulted(deployment())
    del missing["spec"]["selector"]
    # a nil selector converts to labels.Nothing(), which matches no template either
    assert texts(validate_deployment(missing)) == [
        "spec.selector: Required value",
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: '
        "`selector` does not match template `labels`",
    ]
    empty = defaulted(deployment(selector={}))
    assert texts(validate_deployment(empty)) == [
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: "
        "empty selector is invalid for deployment"
    ]


def test_replicas_template_policy_and_strategy_rules() -> None:
    obj = defaulted(deployment(replicas=-1, minReadySeconds=700))
    obj["spec"]["template"]["spec"]["restartPolicy"] = "Never"
    obj["spec"]["strategy"]["rollingUpdate"] = {"maxUnavailable": 0, "maxSurge": "0%"}
    assert texts(validate_deployment(obj)) == [
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, "
        'IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
        "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds",
    ]


def test_bad_percentages() -> None:
    obj = defaulted(deployment())
    obj["spec"]["strategy"]["rollingUpdate"] = {"maxUnavailable": "150%", "maxSurge": "x"}
    assert texts(validate_deployment(obj)) == [
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, "
        "StrVal:\"x\"}: a valid percent string must be a numeric string followed by an ending '%' "
        "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, "
        'IntVal:0, StrVal:"150%"}: must not be greater than 100%',
    ]


def test_selector_is_immutable_on_update() -> None:
    # registry/apps/deployment/strategy.go; the message users know from `kubectl apply`
    old = defaulted(deployment())
    new = copy.deepcopy(old)
    new["spec"]["selector"] = {"matchLabels": {"app": "web", "tier": "fe"}}
    new["spec"]["template"]["metadata"]["labels"]["tier"] = "fe"
    assert texts(validate_deployment_update(new, old)) == [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", '
        '"tier":"fe"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable'
    ]
    scaled = copy.deepcopy(old)
    scaled["spec"]["replicas"] = 3
    assert validate_deployment_update(scaled, old) == []


def test_replicaset_defaults_and_wording() -> None:
    rs = deployment()
    rs["kind"] = "ReplicaSet"
    default_replicaset(rs)
    assert rs["spec"]["replicas"] == 1
    assert "strategy" not in rs["spec"]
    assert validate_replicaset(rs) == []
    rs["spec"]["template"]["spec"]["activeDeadlineSeconds"] = 5
    rs["spec"]["selector"] = {"matchLabels": {}}
    # upstream reuses the deployment wording for ReplicaSets
    assert texts(validate_replicaset(rs)) == [
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: "
        "empty selector is invalid for deployment",
        "spec.template.spec.activeDeadlineSeconds: Forbidden: "
        "activeDeadlineSeconds in ReplicaSet is not Supported",
    ]
    old = copy.deepcopy(rs)
    old["spec"]["selector"] = {"matchLabels": {"app": "web"}}
    assert str(validate_replicaset_update(rs, old)[-1]).endswith("field is immutable")


def test_template_warnings_use_the_template_path() -> None:
    # pkg/api/pod/warnings.go GetWarningsForPodTemplate with fieldPath spec.template
    obj = defaulted(deployment())
    containers = obj["spec"]["template"]["spec"]["containers"]
    containers[0]["ports"] = [{"containerPort": 80, "protocol": "TCP"}]
    containers.append(dict(containers[0], name="sidecar"))
    expected = [
        "spec.template.spec.containers[1].ports[0]: duplicate port definition with "
        "spec.template.spec.containers[0].ports[0]"
    ]
    assert deployment_warnings(obj) == expected
    assert replicaset_warnings(obj) == expected
    assert deployment_warnings(obj, obj) == []
