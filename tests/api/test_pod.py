"""Pods: defaulting, admission additions, validation, update rules and warnings."""

from __future__ import annotations

import copy

import pytest

from kubenet_nb.api.core.pod import (
    default_pod,
    initial_pod_status,
    mount_service_account_token,
    pod_qos_class,
)
from kubenet_nb.api.core.pod.defaults import image_pull_policy
from kubenet_nb.api.core.pod.validation import validate_pod, validate_pod_update
from kubenet_nb.api.core.pod.warnings import pod_warnings
from kubenet_nb.api.names import is_dns1123_label, is_valid_port_name


def pod(*containers: dict, **spec: object) -> dict:
    body = {"containers": list(containers) or [{"name": "web", "image": "nginx"}], **spec}
    return {"kind": "Pod", "metadata": {"name": "web", "namespace": "default"}, "spec": body}


def defaulted(obj: dict) -> dict:
    default_pod(obj)
    return obj


def texts(errs: list) -> list[str]:
    return [str(e) for e in errs]


def test_defaults_as_kubectl_get_pod_shows_them() -> None:
    # pkg/apis/core/v1/defaults.go SetDefaults_PodSpec/Pod/Container, plus the admission plugins
    # ServiceAccount, Priority and DefaultTolerationSeconds (300 s) of a v1.33 cluster
    obj = defaulted(pod({"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]}))
    spec = obj["spec"]
    assert spec["containers"] == [
        {
            "name": "web",
            "image": "nginx",
            "ports": [{"containerPort": 80, "protocol": "TCP"}],
            "imagePullPolicy": "Always",
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
            "resources": {},
        }
    ]
    assert {k: v for k, v in spec.items() if k != "containers"} == {
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": "Always",
        "securityContext": {},
        "terminationGracePeriodSeconds": 30,
        "schedulerName": "default-scheduler",
        "enableServiceLinks": True,
        "serviceAccountName": "default",
        "serviceAccount": "default",
        "priority": 0,
        "preemptionPolicy": "PreemptLowerPriority",
        "tolerations": [
            {
                "effect": "NoExecute",
                "key": "node.kubernetes.io/not-ready",
                "operator": "Exists",
                "tolerationSeconds": 300,
            },
            {
                "effect": "NoExecute",
                "key": "node.kubernetes.io/unreachable",
                "operator": "Exists",
                "tolerationSeconds": 300,
            },
        ],
    }
    assert validate_pod(obj) == []


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("nginx:1.27", "IfNotPresent"),
        ("registry.k8s.io:5000/pause", "Always"),
        ("registry.k8s.io:5000/pause:3.9", "IfNotPresent"),
        ("nginx@sha256:" + "a" * 64, "IfNotPresent"),
        ("nginx:latest@sha256:" + "a" * 64, "Always"),
    ],
)
def test_image_pull_policy(image: str, policy: str) -> None:
    # SetDefaults_Container: Always only when parsers.ParseImageName yields the tag "latest"
    assert image_pull_policy(image) == policy


def test_tolerating_everything_adds_no_default_tolerations() -> None:
    # defaulttolerationseconds admission: an empty key with NoExecute (or any effect) tolerates
    obj = defaulted(pod(tolerations=[{"operator": "Exists"}]))
    assert obj["spec"]["tolerations"] == [{"operator": "Exists"}]


def test_limits_default_the_requests_and_qos() -> None:
    limits = {"cpu": "500m", "memory": "128Mi"}
    obj = defaulted(pod({"name": "a", "image": "x", "resources": {"limits": limits}}))
    assert obj["spec"]["containers"][0]["resources"]["requests"] == limits
    assert pod_qos_class(obj) == "Guaranteed"
    assert initial_pod_status(defaulted(pod())) == {"phase": "Pending", "qosClass": "BestEffort"}
    burst = defaulted(pod({"name": "a", "image": "x", "resources": {"requests": {"cpu": "1"}}}))
    assert pod_qos_class(burst) == "Burstable"


def test_service_account_token_volume() -> None:
    # plugin/pkg/admission/serviceaccount: the kube-api-access-<5 random> projected volume
    obj = defaulted(pod())
    mount_service_account_token(obj, "x2c4d")
    assert obj["spec"]["volumes"] == [
        {
            "name": "kube-api-access-x2c4d",
            "projected": {
                "defaultMode": 420,
                "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {
                        "configMap": {
                            "items": [{"key": "ca.crt", "path": "ca.crt"}],
                            "name": "kube-root-ca.crt",
                        }
                    },
                    {
                        "downwardAPI": {
                            "items": [
                                {
                                    "fieldRef": {
                                        "apiVersion": "v1",
                                        "fieldPath": "metadata.namespace",
                                    },
                                    "path": "namespace",
                                }
                            ]
                        }
                    },
                ],
            },
        }
    ]
    assert obj["spec"]["containers"][0]["volumeMounts"] == [
        {
            "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
            "name": "kube-api-access-x2c4d",
            "readOnly": True,
        }
    ]
    assert validate_pod(obj) == []
    opted_out = defaulted(pod(automountServiceAccountToken=False))
    mount_service_account_token(opted_out, "x2c4d")
    assert "volumes" not in opted_out["spec"]


def test_container_name_and_image_are_required() -> None:
    errs = validate_pod(defaulted(pod({"name": ""}, {"name": "b", "image": " x"})))
    assert texts(errs) == [
        "spec.containers[0].name: Required value",
        "spec.containers[0].image: Required value",
        'spec.containers[1].image: Invalid value: " x": '
        "must not have leading or trailing whitespace",
    ]


def test_duplicate_container_names() -> None:
    errs = validate_pod(
        defaulted(pod({"name": "web", "image": "a"}, {"name": "web", "image": "b"}))
    )
    assert texts(errs) == ['spec.containers[1].name: Duplicate value: "web"']


def test_container_port_rules() -> None:
    # validation.go validateContainerPorts
    ports = [
        {"containerPort": 0},
        {"containerPort": 70000},
        {"containerPort": 80, "protocol": "HTTP"},
        {"containerPort": 81, "name": "http"},
        {"containerPort": 82, "name": "http"},
        {"containerPort": 83, "hostPort": 70000},
    ]
    errs = validate_pod(defaulted(pod({"name": "web", "image": "nginx", "ports": ports})))
    assert texts(errs) == [
        "spec.containers[0].ports[0].containerPort: Required value",
        "spec.containers[0].ports[1].containerPort: Invalid value: 70000: "
        "must be between 1 and 65535, inclusive",
        'spec.containers[0].ports[2].protocol: Unsupported value: "HTTP": '
        'supported values: "SCTP", "TCP", "UDP"',
        'spec.containers[0].ports[4].name: Duplicate value: "http"',
        "spec.containers[0].ports[5].hostPort: Invalid value: 70000: "
        "must be between 1 and 65535, inclusive",
    ]


def test_port_names_are_iana_service_names() -> None:
    name = "metrics-endpoint-1"
    errs = validate_pod(
        defaulted(pod({"name": "web", "image": "x", "ports": [{"containerPort": 1, "name": name}]}))
    )
    assert texts(errs) == [
        f'spec.containers[0].ports[0].name: Invalid value: "{name}": {msg}'
        for msg in is_valid_port_name(name)
    ]


def test_host_port_conflicts_across_containers() -> None:
    # validation.go AccumulateUniqueHostPorts: "<protocol>/<hostIP>/<port>"
    web = {"name": "a", "image": "x", "ports": [{"containerPort": 80, "hostPort": 8080}]}
    api = {"name": "b", "image": "x", "ports": [{"containerPort": 81, "hostPort": 8080}]}
    errs = validate_pod(defaulted(pod(web, api)))
    assert texts(errs) == ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"']


def test_hostname_subdomain_and_policies() -> None:
    obj = defaulted(pod(hostname="Web", subdomain="db", restartPolicy="Sometimes"))
    assert texts(validate_pod(obj)) == [
        'spec.restartPolicy: Unsupported value: "Sometimes": '
        'supported values: "Always", "OnFailure", "Never"',
        *[f'spec.hostname: Invalid value: "Web": {m}' for m in is_dns1123_label("Web")],
    ]


def test_host_network_ports_default_and_must_match() -> None:
    # SetDefaults_Pod defaultHostNetworkPorts; validatePodHostNetworkDeps
    obj = defaulted(
        pod({"name": "a", "image": "x", "ports": [{"containerPort": 80}]}, hostNetwork=True)
    )
    assert obj["spec"]["containers"][0]["ports"][0]["hostPort"] == 80
    obj["spec"]["containers"][0]["ports"][0]["hostPort"] = 81
    assert texts(validate_pod(obj)) == [
        "spec.containers[0].ports[0].hostPort: Invalid value: 81: "
        "must match `containerPort` when `hostNetwork` is true"
    ]


def test_probes_are_defaulted_and_checked() -> None:
    probe = {"httpGet": {"port": "http"}}
    obj = defaulted(pod({"name": "a", "image": "x", "readinessProbe": probe}))
    assert obj["spec"]["containers"][0]["readinessProbe"] == {
        "httpGet": {"port": "http", "path": "/", "scheme": "HTTP"},
        "timeoutSeconds": 1,
        "periodSeconds": 10,
        "successThreshold": 1,
        "failureThreshold": 3,
    }
    assert validate_pod(obj) == []
    obj["spec"]["containers"][0]["livenessProbe"] = {"successThreshold": 2, "exec": {}}
    assert texts(validate_pod(obj)) == [
        "spec.containers[0].livenessProbe.exec.command: Required value",
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
    ]


def test_ephemeral_containers_cannot_be_set_on_create() -> None:
    obj = defaulted(pod(ephemeralContainers=[{"name": "debug", "image": "busybox"}]))
    assert texts(validate_pod(obj)) == [
        "spec.ephemeralContainers: Forbidden: cannot be set on create"
    ]


def test_update_may_change_images_only() -> None:
    # validation.go ValidatePodUpdate and updatablePodSpecFields
    old = defaulted(pod())
    new = copy.deepcopy(old)
    new["spec"]["containers"][0]["image"] = "nginx:1.27"
    assert validate_pod_update(new, old) == []
    new["spec"]["containers"][0]["ports"] = [{"containerPort": 80, "protocol": "TCP"}]
    errs = validate_pod_update(new, old)
    assert len(errs) == 1
    assert str(errs[0]).splitlines()[0] == (
        "spec: Forbidden: pod updates may not change fields other than "
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
        "`spec.tolerations` (only additions to existing tolerations),"
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "
        "negative)"
    )


def test_update_cannot_add_containers_or_drop_tolerations() -> None:
    old = defaulted(pod())
    grown = copy.deepcopy(old)
    grown["spec"]["containers"].append({"name": "b", "image": "x"})
    assert texts(validate_pod_update(defaulted(grown), old)) == [
        "spec.containers: Forbidden: pod updates may not add or remove containers"
    ]
    shrunk = copy.deepcopy(old)
    shrunk["spec"]["tolerations"].pop()
    assert texts(validate_pod_update(shrunk, old)) == [
        "spec.tolerations: Forbidden: existing toleration can not be modified except its "
        "tolerationSeconds"
    ]
    longer = copy.deepcopy(old)
    longer["spec"]["tolerations"][0]["tolerationSeconds"] = 600
    assert validate_pod_update(longer, old) == []


def test_duplicate_port_definition_warning() -> None:
    # pkg/api/pod/warnings.go; the reference's example warning verbatim
    first = {"name": "a", "image": "x", "ports": [{"containerPort": 80}]}
    second = {"name": "b", "image": "x", "ports": [{"containerPort": 80}]}
    obj = defaulted(pod(first, second))
    assert validate_pod(obj) == []
    assert pod_warnings(obj) == [
        "spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]"
    ]


def test_other_pod_warnings() -> None:
    obj = defaulted(
        pod(
            {
                "name": "a",
                "image": "x",
                "env": [{"name": "A", "value": "1"}, {"name": "A", "value": "2"}],
            },
            nodeSelector={"beta.kubernetes.io/os": "linux"},
        )
    )
    obj["metadata"]["name"] = "web.v1"
    assert pod_warnings(obj) == [
        "metadata.name: this is used in the Pod's hostname, which can result in surprising "
        f"behavior; a DNS label is recommended: [{' '.join(is_dns1123_label('web.v1'))}]",
        'spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" '
        "instead",
        'spec.containers[0].env[1]: hides previous definition of "A", which may be dropped when '
        "using apply",
    ]
    assert pod_warnings(obj, obj)[0].startswith("spec.nodeSelector")
