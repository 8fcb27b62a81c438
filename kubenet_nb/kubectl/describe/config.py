"""`kubectl describe` for ConfigMaps, Secrets and ServiceAccounts.

Follows k8s.io/kubectl/pkg/describe/describe.go (`ConfigMapDescriber`, `describeSecret`,
`describeServiceAccount`). kubectl ranges over Go maps there, so the key order of Data changes
from run to run; the simulation prints keys sorted, one of the orders kubectl can print.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from kubenet_nb.kubectl.describe.writer import describe_events, header

__all__ = ["describe_configmap", "describe_secret", "describe_serviceaccount", "token_secrets"]

_SA_NAME = "kubernetes.io/service-account.name"
_SA_UID = "kubernetes.io/service-account.uid"
_SA_TOKEN_TYPE = "kubernetes.io/service-account-token"


def _decoded(value: str) -> bytes:
    """The bytes a `[]byte` field holds: JSON carries them in base64."""
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return value.encode()


def describe_configmap(cm: dict, events: list[dict] | None, now: datetime) -> str:
    """`ConfigMapDescriber`: each Data value under its key, BinaryData as byte counts."""
    w = header(cm)
    w.write(0, "\nData\n====\n")
    data = cm.get("data") or {}
    for key in sorted(data):
        w.write(0, f"{key}:\n----\n")
        w.write(0, f"{data[key]}\n")
        w.write(0, "\n")
    w.write(0, "\nBinaryData\n====\n")
    binary = cm.get("binaryData") or {}
    for key in sorted(binary):
        w.write(0, f"{key}: {len(_decoded(binary[key]))} bytes\n")
    w.write(0, "\n")
    if events is not None:
        describe_events(w, events, now)
    return w.text()


def describe_secret(secret: dict) -> str:
    """`describeSecret`: the type and each key's size; only a service-account token is shown."""
    w = header(secret)
    kind = secret.get("type", "")
    w.write(0, f"\nType:\t{kind}\n")
    w.write(0, "\nData\n====\n")
    data = secret.get("data") or {}
    for key in sorted(data):
        value = _decoded(data[key])
        if key == "token" and kind == _SA_TOKEN_TYPE:
            w.write(0, f"{key}:\t{value.decode(errors='replace')}\n")
        else:
            w.write(0, f"{key}:\t{len(value)} bytes\n")
    return w.text()


def token_secrets(sa: dict, secrets: list[dict]) -> list[dict]:
    """The namespace's service-account-token Secrets annotated with this account's name and uid."""
    meta = sa.get("metadata", {})
    found = []
    for secret in secrets:
        annotations = secret["metadata"].get("annotations") or {}
        if (
            secret.get("type") == _SA_TOKEN_TYPE
            and annotations.get(_SA_NAME) == meta.get("name")
            and annotations.get(_SA_UID, "") == meta.get("uid", "")
        ):
            found.append(secret)
    return found


def describe_serviceaccount(
    sa: dict, secrets: list[dict], events: list[dict] | None, now: datetime
) -> str:
    """`describeServiceAccount`; `secrets` are the namespace's Secrets (missing ones are marked)."""
    w = header(sa)
    existing = {s["metadata"]["name"] for s in secrets}
    sections = {
        "Image pull secrets:": [s.get("name", "") for s in sa.get("imagePullSecrets") or []],
        "Mountable secrets: ": [s.get("name", "") for s in sa.get("secrets") or []],
        "Tokens:            ": [s["metadata"]["name"] for s in token_secrets(sa, secrets)],
    }
    missing = {name for name in sections["Image pull secrets:"] if name not in existing}
    missing |= {name for name in sections["Mountable secrets: "] if name not in existing}
    for title, names in sections.items():
        if not names:
            w.write(0, f"{title}\t<none>\n")
        for i, name in enumerate(names):
            prefix = title if i == 0 else " " * len(title)
            w.write(0, f"{prefix}\t{name}{' (not found)' if name in missing else ''}\n")
    if events is not None:
        describe_events(w, events, now)
    return w.text()
