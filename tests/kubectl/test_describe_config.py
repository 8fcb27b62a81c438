"""`kubectl describe` for ConfigMaps, Secrets and ServiceAccounts (describe/config.py).

Inputs and expectations from kubernetes/kubectl pkg/describe/describe_test.go @ v0.33.1 where it
has them; upstream mostly checks substrings, the whole texts here follow describe.go.
"""

from __future__ import annotations

import base64

from kubenet_nb import Cluster


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def test_configmap_data_and_binary_data() -> None:
    # describe_test.go TestDescribeConfigMap: two data keys, binary values of 5 and 6 bytes.
    c = Cluster()
    c.kubectl("create namespace foo")
    c.create(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "mycm", "namespace": "foo"},
            "data": {"key1": "value1", "key2": "value2"},
            "binaryData": {
                "binarykey1": _b64(bytes([0xFF, 0xFE, 0xFD, 0xFC, 0xFB])),
                "binarykey2": _b64(bytes([0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0xFA])),
            },
        }
    )
    assert c.kubectl("describe configmap mycm -n foo") == (
        "Name:         mycm\n"
        "Namespace:    foo\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "\n"
        "Data\n"
        "====\n"
        "key1:\n"
        "----\n"
        "value1\n"
        "\n"
        "key2:\n"
        "----\n"
        "value2\n"
        "\n"
        "\n"
        "BinaryData\n"
        "====\n"
        "binarykey1: 5 bytes\n"
        "binarykey2: 6 bytes\n"
        "\n"
        "Events:  <none>"
    )


def test_configmap_annotations_are_terminal_escaped() -> None:
    # describe_test.go TestDescribeTerminalEscape: ESC in an annotation shows as ^[.
    c = Cluster()
    c.create(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "mycm", "annotations": {"annotation1": "terminal escape: \x1b"}},
        }
    )
    text = c.kubectl("describe cm mycm --show-events=false")
    assert "\x1b" not in text
    assert "Annotations:  annotation1: terminal escape: ^[\n" in text
    assert text.endswith("\nData\n====\n\nBinaryData\n====\n")


def test_secret_shows_sizes_not_values() -> None:
    # describe_test.go TestDescribeSecret: the bytes "YWRtaW4=" (8) and "MWYyZDFlMmU2N2Rm" (16).
    c = Cluster()
    c.create(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "bar"},
            "type": "Opaque",
            "data": {"username": _b64(b"YWRtaW4="), "password": _b64(b"MWYyZDFlMmU2N2Rm")},
        }
    )
    assert c.kubectl("describe secret bar") == (
        "Name:         bar\n"
        "Namespace:    default\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "\n"
        "Type:  Opaque\n"
        "\n"
        "Data\n"
        "====\n"
        "password:  16 bytes\n"
        "username:  8 bytes"
    )


def test_service_account_token_is_shown() -> None:
    # describe.go describeSecret: only a service-account token's `token` is printed as text.
    c = Cluster()
    c.create(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "name": "tok",
                "annotations": {"kubernetes.io/service-account.name": "default"},
            },
            "type": "kubernetes.io/service-account-token",
            "data": {"token": _b64(b"abc.def"), "ca.crt": _b64(b"x" * 1066)},
        }
    )
    assert c.kubectl("describe secret tok").endswith(
        "Type:  kubernetes.io/service-account-token\n\nData\n====\nca.crt:  1066 bytes\n"
        "token:   abc.def"
    )


def test_service_account_marks_missing_secrets() -> None:
    # describe_test.go TestDescribeServiceAccount (whole output).
    c = Cluster()
    c.kubectl("create namespace foo")
    c.create(
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": "bar", "namespace": "foo"},
            "secrets": [{"name": "test-objectref"}],
            "imagePullSecrets": [{"name": "test-local-ref"}],
        }
    )
    assert c.kubectl("describe sa bar -n foo") == (
        "Name:                bar\n"
        "Namespace:           foo\n"
        "Labels:              <none>\n"
        "Annotations:         <none>\n"
        "Image pull secrets:  test-local-ref (not found)\n"
        "Mountable secrets:   test-objectref (not found)\n"
        "Tokens:              <none>\n"
        "Events:              <none>"
    )


def test_service_account_lists_its_tokens_and_found_secrets() -> None:
    c = Cluster()
    sa = c.create(
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": "build"},
            "secrets": [{"name": "build-token"}, {"name": "gone"}],
        }
    )
    c.create(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "name": "build-token",
                "annotations": {
                    "kubernetes.io/service-account.name": "build",
                    "kubernetes.io/service-account.uid": sa["metadata"]["uid"],
                },
            },
            "type": "kubernetes.io/service-account-token",
        }
    )
    assert c.kubectl("describe sa build --show-events=false").endswith(
        "Image pull secrets:  <none>\n"
        "Mountable secrets:   build-token\n"
        "                     gone (not found)\n"
        "Tokens:              build-token"
    )
