"""Webhook configurations and validating admission policies (admissionregistration.k8s.io/v1).

Sources: kubernetes/kubernetes pkg/apis/admissionregistration/v1/defaults.go and
pkg/apis/admissionregistration/validation/validation_test.go @ v1.33.0
(TestValidateValidatingWebhookConfiguration: "all Webhooks must have a fully qualified name",
"Webhooks must have unique names when created", "Operations must not be empty or nil",
"\\"\\" is NOT a valid operation", "operation must be either create/update/delete/connect",
"wildcard operation cannot be mixed with other strings", "resource \\"*\\" can co-exist with
resources that have subresources", "FailurePolicy can only be \\"Ignore\\" or \\"Fail\\"",
"SideEffects are required", "both service and URL missing", "timeout seconds cannot be greater
than 30", "AdmissionReviewVersions are required", "invalid URL scheme";
TestValidateValidatingAdmissionPolicy: "policy with no validations",
"matchConstraints resourceRules required"; TestValidateValidatingAdmissionPolicyBinding:
"policyName is required", "validationActions must be unique", "validationActions must contain
supported values", "validationActions must not contain both Deny and Warn").
"""

from __future__ import annotations

import pytest
from rules_helpers import refusal

from kubenet_nb import Cluster

GROUP = "admissionregistration.k8s.io/v1"


@pytest.fixture
def cluster() -> Cluster:
    return Cluster()


def webhook(**hook: object) -> dict:
    base: dict[str, object] = {
        "name": "check.example.com",
        "clientConfig": {"service": {"name": "hooks", "namespace": "default"}},
        "rules": [
            {
                "operations": ["CREATE"],
                "apiGroups": [""],
                "apiVersions": ["v1"],
                "resources": ["pods"],
            }
        ],
        "sideEffects": "None",
        "admissionReviewVersions": ["v1"],
    }
    base.update(hook)
    return base


def config(*hooks: dict, kind: str = "ValidatingWebhookConfiguration") -> dict:
    return {
        "apiVersion": GROUP,
        "kind": kind,
        "metadata": {"name": "hooks"},
        "webhooks": list(hooks) or [webhook()],
    }


def test_webhook_defaults(cluster: Cluster) -> None:
    cluster.create(config(kind="MutatingWebhookConfiguration"))
    hook = cluster.get("MutatingWebhookConfiguration", "hooks", "")["webhooks"][0]
    assert hook["failurePolicy"] == "Fail"
    assert hook["matchPolicy"] == "Equivalent"
    assert (hook["namespaceSelector"], hook["objectSelector"]) == ({}, {})
    assert hook["timeoutSeconds"] == 10
    assert hook["reinvocationPolicy"] == "Never"
    assert hook["rules"][0]["scope"] == "*"
    assert hook["clientConfig"]["service"]["port"] == 443
    cluster.create(config())
    assert (
        "reinvocationPolicy"
        not in cluster.get("ValidatingWebhookConfiguration", "hooks", "")["webhooks"][0]
    )


@pytest.mark.parametrize(
    ("hook", "message"),
    [
        (
            {"name": "check"},
            'webhooks[0].name: Invalid value: "check": should be a domain with at least three '
            "segments separated by dots",
        ),
        ({"name": ""}, "webhooks[0].name: Required value"),
        (
            {"rules": [{"apiGroups": ["a"], "apiVersions": ["v1"], "resources": ["pods"]}]},
            "webhooks[0].rules[0].operations: Required value",
        ),
        (
            {
                "rules": [
                    {
                        "operations": ["PATCH"],
                        "apiGroups": ["a"],
                        "apiVersions": ["v1"],
                        "resources": ["a"],
                    }
                ]
            },
            'webhooks[0].rules[0].operations[0]: Unsupported value: "PATCH": supported values: '
            '"*", "CONNECT", "CREATE", "DELETE", "UPDATE"',
        ),
        (
            {
                "rules": [
                    {
                        "operations": ["*", "CREATE"],
                        "apiGroups": ["a"],
                        "apiVersions": ["v1"],
                        "resources": ["a"],
                    }
                ]
            },
            'webhooks[0].rules[0].operations: Invalid value: []string{"*", "CREATE"}: if \'*\' '
            "is present, must not specify other operations",
        ),
        (
            {
                "rules": [
                    {
                        "operations": ["CREATE"],
                        "apiGroups": ["a"],
                        "apiVersions": ["v1"],
                        "resources": ["*/*", "a"],
                    }
                ]
            },
            'webhooks[0].rules[0].resources: Invalid value: []string{"*/*", "a"}: if \'*/*\' '
            "is present, must not specify other resources",
        ),
        (
            {"failurePolicy": "Sometimes"},
            'webhooks[0].failurePolicy: Unsupported value: "Sometimes": supported values: '
            '"Fail", "Ignore"',
        ),
        (
            {"sideEffects": None},
            "webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun",
        ),
        (
            {"sideEffects": "Unknown"},
            'webhooks[0].sideEffects: Unsupported value: "Unknown": supported values: "None", '
            '"NoneOnDryRun"',
        ),
        (
            {"clientConfig": {}},
            "webhooks[0].clientConfig: Required value: exactly one of url or service is required",
        ),
        (
            {"clientConfig": {"url": "http://example.com/hook"}},
            "webhooks[0].clientConfig.url: Invalid value: \"http\": 'https' is the only allowed "
            "URL scheme; desired format: https://host[/path]",
        ),
        (
            {"timeoutSeconds": 31},
            "webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 "
            "and 30 seconds",
        ),
        (
            {"admissionReviewVersions": []},
            "webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1",
        ),
        (
            {"admissionReviewVersions": ["v2"]},
            'webhooks[0].admissionReviewVersions: Invalid value: []string{"v2"}: must include at '
            "least one of v1, v1beta1",
        ),
    ],
)
def test_webhook_errors(cluster: Cluster, hook: dict, message: str) -> None:
    bad = webhook(**hook)
    if hook.get("sideEffects", "x") is None:
        del bad["sideEffects"]
    assert refusal(cluster, config(bad)) == (
        f'The ValidatingWebhookConfiguration "hooks" is invalid: {message}'
    )


def test_webhook_names_unique(cluster: Cluster) -> None:
    assert refusal(cluster, config(webhook(), webhook())) == (
        'The ValidatingWebhookConfiguration "hooks" is invalid: webhooks[1].name: Duplicate '
        'value: "check.example.com"'
    )


def policy(**spec: object) -> dict:
    spec.setdefault(
        "matchConstraints",
        {
            "resourceRules": [
                {
                    "operations": ["CREATE"],
                    "apiGroups": ["apps"],
                    "apiVersions": ["v1"],
                    "resources": ["deployments"],
                }
            ]
        },
    )
    spec.setdefault("validations", [{"expression": "object.spec.replicas <= 5"}])
    return {
        "apiVersion": GROUP,
        "kind": "ValidatingAdmissionPolicy",
        "metadata": {"name": "replicas"},
        "spec": spec,
    }


def test_policy_defaults(cluster: Cluster) -> None:
    cluster.create(policy())
    stored = cluster.get("ValidatingAdmissionPolicy", "replicas", "")
    assert stored["spec"]["failurePolicy"] == "Fail"
    match = stored["spec"]["matchConstraints"]
    assert (match["matchPolicy"], match["namespaceSelector"], match["objectSelector"]) == (
        "Equivalent",
        {},
        {},
    )
    assert stored["metadata"]["generation"] == 1


def test_policy_errors(cluster: Cluster) -> None:
    assert refusal(cluster, policy(validations=[], matchConstraints={})) == (
        'The ValidatingAdmissionPolicy "replicas" is invalid: \n'
        "* spec.matchConstraints.resourceRules: Required value\n"
        "* spec.validations: Required value: validations or auditAnnotations must contain at "
        "least one item\n"
        "* spec.auditAnnotations: Required value: validations or auditAnnotations must contain "
        "at least one item"
    )


def binding(**spec: object) -> dict:
    spec.setdefault("policyName", "replicas")
    spec.setdefault("validationActions", ["Deny"])
    return {
        "apiVersion": GROUP,
        "kind": "ValidatingAdmissionPolicyBinding",
        "metadata": {"name": "replicas"},
        "spec": spec,
    }


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"policyName": ""}, "spec.policyName: Required value"),
        (
            {"validationActions": ["Deny", "Deny"]},
            'spec.validationActions[1]: Duplicate value: "Deny"',
        ),
        (
            {"validationActions": ["Block"]},
            'spec.validationActions[0]: Unsupported value: "Block": supported values: "Audit", '
            '"Deny", "Warn"',
        ),
        (
            {"validationActions": ["Deny", "Warn"]},
            'spec.validationActions: Invalid value: []string{"Deny", "Warn"}: must not contain '
            "both Deny and Warn (repeating the same validation failure information in the API "
            "response and headers serves no purpose)",
        ),
        (
            {"validationActions": []},
            "spec.validationActions: Required value: at least one validation action is required",
        ),
    ],
)
def test_binding_errors(cluster: Cluster, spec: dict, message: str) -> None:
    assert refusal(cluster, binding(**spec)) == (
        f'The ValidatingAdmissionPolicyBinding "replicas" is invalid: {message}'
    )


def test_binding_accepted(cluster: Cluster) -> None:
    cluster.create(binding(matchResources={}))
    stored = cluster.get("ValidatingAdmissionPolicyBinding", "replicas", "")
    assert stored["spec"]["matchResources"] == {
        "matchPolicy": "Equivalent",
        "namespaceSelector": {},
        "objectSelector": {},
    }
