"""ConfigMaps, Secrets and ServiceAccounts through the public face: defaults, the API server's
refusals word for word, the immutable rules, and refusals that change nothing."""

from __future__ import annotations

import base64

import pytest

from kubenet_nb import Cluster
from tests.api.rules_helpers import refusal

KEY_ERROR = (
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
    "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', "
    "regex used for validation is '[-._a-zA-Z0-9]+')"
)
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    return Cluster()


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def config_map(name: str, data: dict | None = None, binary: dict | None = None) -> dict:
    obj: dict = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": "default"},
    }
    if data is not None:
        obj["data"] = data
    if binary is not None:
        obj["binaryData"] = {k: b64(v) for k, v in binary.items()}
    return obj


def secret(name: str, data: dict | None = None, **fields: object) -> dict:
    obj: dict = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name, "namespace": "default"},
        **fields,
    }
    if data is not None:
        obj["data"] = {k: b64(v) for k, v in data.items()}
    return obj


# kubernetes/kubernetes pkg/apis/core/validation/validation_test.go @ v1.33.0, TestValidateConfigMap
# (the two namespace cases are the API server's own: it fills in or requires the namespace).
CONFIG_MAP_CASES = {
    "valid": (config_map("valid", {"key": "value"}, {"bin": "value"}), None),
    "max key length": (config_map("max-key", {"a" * 253: "value"}), None),
    "leading dot key": (config_map("leading-dot", {".ab": "value"}), None),
    "invalid name": (
        config_map("NoUppercaseOrSpecialCharsLike=Equals"),
        'The ConfigMap "NoUppercaseOrSpecialCharsLike=Equals" is invalid: metadata.name: '
        'Invalid value: "NoUppercaseOrSpecialCharsLike=Equals": a lowercase RFC 1123 subdomain '
        "must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
        "with an alphanumeric character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ),
    "invalid key": (
        config_map("invalid-key", {"a*b": "value"}),
        f'The ConfigMap "invalid-key" is invalid: data[a*b]: Invalid value: "a*b": {KEY_ERROR}',
    ),
    "dot key": (
        config_map("dot-key", {".": "value"}),
        'The ConfigMap "dot-key" is invalid: data[.]: Invalid value: ".": must not be \'.\'',
    ),
    "double dot key": (
        config_map("double-dot", {"..": "value"}),
        'The ConfigMap "double-dot" is invalid: data[..]: Invalid value: "..": must not be \'..\'',
    ),
    "over max key length": (
        config_map("long-key", {"a" * 254: "value"}),
        f'The ConfigMap "long-key" is invalid: data[{"a" * 254}]: Invalid value: '
        f'"{"a" * 254}": must be no more than 253 characters',
    ),
    "over max size": (
        config_map("too-big", {"key": "a" * (MIB + 1)}),
        'The ConfigMap "too-big" is invalid: []: Too long: may not be more than 1048576 bytes',
    ),
    "duplicated key": (
        config_map("dup", {"key": "value1"}, {"key": "value2"}),
        'The ConfigMap "dup" is invalid: data[key]: Invalid value: "key": '
        "duplicate of key present in binaryData",
    ),
    "binary data invalid key": (
        config_map("bin-invalid", binary={"a*b": "value"}),
        f'The ConfigMap "bin-invalid" is invalid: binaryData[a*b]: Invalid value: "a*b": '
        f"{KEY_ERROR}",
    ),
    "binary data leading dot key": (config_map("bin-leading", binary={".ab": "value"}), None),
    "binary data dot key": (
        config_map("bin-dot", binary={".": "value"}),
        'The ConfigMap "bin-dot" is invalid: binaryData[.]: Invalid value: ".": must not be \'.\'',
    ),
    "binary data double dot key": (
        config_map("bin-double-dot", binary={"..": "value"}),
        'The ConfigMap "bin-double-dot" is invalid: binaryData[..]: Invalid value: "..": '
        "must not be '..'",
    ),
    "binary data over max key length": (
        config_map("bin-long", binary={"a" * 254: "value"}),
        f'The ConfigMap "bin-long" is invalid: binaryData[{"a" * 254}]: Invalid value: '
        f'"{"a" * 254}": must be no more than 253 characters',
    ),
    "binary data max size": (
        config_map("bin-big", binary={"bin": "a" * (MIB + 1)}),
        'The ConfigMap "bin-big" is invalid: []: Too long: may not be more than 1048576 bytes',
    ),
    "binary data non utf-8 bytes": (
        {
            **config_map("bin-bytes"),
            "binaryData": {"key": base64.b64encode(b"\x00\xfe\x00\xff").decode()},
        },
        None,
    ),
}


@pytest.mark.parametrize("case", list(CONFIG_MAP_CASES))
def test_validate_config_map(cluster: Cluster, case: str) -> None:
    obj, message = CONFIG_MAP_CASES[case]
    if message is None:
        cluster.create(obj)
    else:
        assert refusal(cluster, obj) == message


def test_config_map_key_starting_with_two_dots(cluster: Cluster) -> None:
    # apimachinery IsConfigMapKey: hasChDirPrefix
    message = refusal(cluster, config_map("two-dots", {"..a": "v"}))
    assert message == (
        'The ConfigMap "two-dots" is invalid: data[..a]: Invalid value: "..a": '
        "must not start with '..'"
    )


def test_immutable_config_map(cluster: Cluster) -> None:
    # ValidateConfigMapUpdate: once immutable, data, binaryData and immutable itself are fixed
    cluster.create({**config_map("frozen", {"a": "1"}), "immutable": True})
    changed = {**config_map("frozen", {"a": "2"}, {"b": "x"})}
    assert refusal(cluster, changed, update=True) == (
        'The ConfigMap "frozen" is invalid: \n'
        "* immutable: Forbidden: field is immutable when `immutable` is set\n"
        "* data: Forbidden: field is immutable when `immutable` is set\n"
        "* binaryData: Forbidden: field is immutable when `immutable` is set"
    )
    assert cluster.get("ConfigMap", "frozen")["data"] == {"a": "1"}
    relabelled = {**config_map("frozen", {"a": "1"}), "immutable": True}
    relabelled["metadata"]["labels"] = {"x": "y"}
    assert cluster.update(relabelled)["metadata"]["labels"] == {"x": "y"}


def test_mutable_config_map_updates(cluster: Cluster) -> None:
    cluster.create(config_map("mutable", {"a": "1"}))
    assert cluster.update(config_map("mutable", {"a": "2"}))["data"] == {"a": "2"}


def test_secret_string_data_is_folded_into_data(cluster: Cluster) -> None:
    # pkg/apis/core/v1/conversion.go: stringData overrides data, base64-encoded; it is not kept
    (stored,) = cluster.apply(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n"
        "data:\n  user: b2xk\n  keep: eA==\nstringData:\n  user: admin\n  pass: s3cr3t\n"
    )
    assert "stringData" not in stored
    assert stored["type"] == "Opaque"
    assert stored["data"] == {"user": b64("admin"), "keep": "eA==", "pass": b64("s3cr3t")}
    assert "stringData" not in cluster.get("Secret", "creds")


# TestValidateSecret (validation_test.go @ v1.33.0): the cases reachable through the API.
SECRET_CASES = {
    "valid": (secret("valid-secret", {"data-1": "bar"}), None),
    "leading dot key": (secret("leading-dot", {".dotfile": "bar"}), None),
    "dot key": (
        secret("dot", {".": "bar"}),
        'The Secret "dot" is invalid: data[.]: Invalid value: ".": must not be \'.\'',
    ),
    "double dot key": (
        secret("double-dot", {"..": "bar"}),
        'The Secret "double-dot" is invalid: data[..]: Invalid value: "..": must not be \'..\'',
    ),
    "invalid key": (
        secret("bad-key", {"a*b": "bar"}),
        f'The Secret "bad-key" is invalid: data[a*b]: Invalid value: "a*b": {KEY_ERROR}',
    ),
    "bad key with space": (
        secret("x", {".bad key": "bar"}),
        f'The Secret "x" is invalid: data[.bad key]: Invalid value: ".bad key": {KEY_ERROR}',
    ),
    "over max size": (
        secret("too-big", {"data-1": "a" * (MIB + 1)}),
        'The Secret "too-big" is invalid: data: Too long: may not be more than 1048576 bytes',
    ),
    "invalid name": (
        secret("Bad_Name"),
        'The Secret "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase '
        "RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
        "must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
        "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ),
    "service account token without annotation": (
        secret("sa-token", type="kubernetes.io/service-account-token"),
        'The Secret "sa-token" is invalid: '
        "metadata.annotations[kubernetes.io/service-account.name]: Required value",
    ),
    "service account token": (
        {
            **secret("sa-token-ok", type="kubernetes.io/service-account-token"),
            "metadata": {
                "name": "sa-token-ok",
                "annotations": {"kubernetes.io/service-account.name": "default"},
            },
        },
        None,
    ),
    "dockercfg without key": (
        secret("dockercfg", {"x": "{}"}, type="kubernetes.io/dockercfg"),
        'The Secret "dockercfg" is invalid: data[.dockercfg]: Required value',
    ),
    "dockercfg not json": (
        secret("dockercfg-bad", {".dockercfg": "bad"}, type="kubernetes.io/dockercfg"),
        'The Secret "dockercfg-bad" is invalid: data[.dockercfg]: Invalid value: '
        "\"<secret contents redacted>\": invalid character 'b' looking for beginning of value",
    ),
    "dockerconfigjson": (
        secret("dcj", {".dockerconfigjson": '{"auths":{}}'}, type="kubernetes.io/dockerconfigjson"),
        None,
    ),
    "dockerconfigjson without key": (
        secret("dcj-missing", {}, type="kubernetes.io/dockerconfigjson"),
        'The Secret "dcj-missing" is invalid: data[.dockerconfigjson]: Required value',
    ),
    "basic auth without fields": (
        secret("basic", {}, type="kubernetes.io/basic-auth"),
        'The Secret "basic" is invalid: \n* data[username]: Required value\n'
        "* data[password]: Required value",
    ),
    "basic auth with a username only": (
        secret("basic-ok", {"username": ""}, type="kubernetes.io/basic-auth"),
        None,
    ),
    "ssh auth without key": (
        secret("ssh", {"ssh-privatekey": ""}, type="kubernetes.io/ssh-auth"),
        'The Secret "ssh" is invalid: data[ssh-privatekey]: Required value',
    ),
    "tls without keys": (
        secret("tls", {}, type="kubernetes.io/tls"),
        'The Secret "tls" is invalid: \n* data[tls.crt]: Required value\n'
        "* data[tls.key]: Required value",
    ),
}


@pytest.mark.parametrize("case", list(SECRET_CASES))
def test_validate_secret(cluster: Cluster, case: str) -> None:
    obj, message = SECRET_CASES[case]
    if message is None:
        cluster.create(obj)
    else:
        assert refusal(cluster, obj) == message


def test_tls_secret_warning(cluster: Cluster) -> None:
    # pkg/registry/core/secret/strategy.go warningsForSecret: tls.X509KeyPair's error
    cluster.create(secret("tls-junk", {"tls.crt": "x", "tls.key": "y"}, type="kubernetes.io/tls"))
    assert cluster.last_warnings == ["tls: failed to find any PEM data in certificate input"]


def test_secret_type_and_immutable_data(cluster: Cluster) -> None:
    # ValidateSecretUpdate: type immutable; data immutable once immutable is set
    cluster.create({**secret("locked", {"a": "1"}), "immutable": True})
    changed = {**secret("locked", {"a": "2"}, type="kubernetes.io/basic-auth"), "immutable": True}
    assert refusal(cluster, changed, update=True) == (
        'The Secret "locked" is invalid: \n'
        '* type: Invalid value: "kubernetes.io/basic-auth": field is immutable\n'
        "* data: Forbidden: field is immutable when `immutable` is set\n"
        "* data[username]: Required value\n"
        "* data[password]: Required value"
    )
    assert cluster.get("Secret", "locked")["data"] == {"a": b64("1")}


def test_service_account_secret_references_keep_names(cluster: Cluster) -> None:
    # pkg/registry/core/serviceaccount/strategy.go cleanSecretReferences
    stored = cluster.create(
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": "robot"},
            "secrets": [{"name": "token", "namespace": "other", "uid": "u"}],
        }
    )
    assert stored["secrets"] == [{"name": "token"}]


def test_service_account_enforce_mountable_secrets_warning(cluster: Cluster) -> None:
    cluster.create(
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {
                "name": "enforcer",
                "annotations": {"kubernetes.io/enforce-mountable-secrets": "true"},
            },
        }
    )
    assert cluster.last_warnings == [
        "metadata.annotations[kubernetes.io/enforce-mountable-secrets]: deprecated in v1.32+; "
        "prefer separate namespaces to isolate access to mounted secrets"
    ]
