"""ConfigMaps, Secrets and ServiceAccounts: defaulting, validation, update rules, warnings.

Sources in kubernetes/kubernetes @ v1.33.0: pkg/apis/core/validation/validation.go
(ValidateConfigMap, ValidateSecret, ValidateServiceAccount and their update twins),
pkg/apis/core/v1/defaults.go (SetDefaults_Secret), pkg/apis/core/v1/conversion.go (a Secret's
`stringData` is folded into `data` before anything else sees it) and the strategies of
pkg/registry/core/{configmap,secret,serviceaccount} (secret references cleaned, TLS and
enforce-mountable-secrets warnings).
"""

from __future__ import annotations

import base64
import binascii
import json
import re

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.meta import validate_immutable
from kubenet_nb.api.names import DNS1123_SUBDOMAIN_MAX

__all__ = ["RULES", "is_config_map_key"]

MAX_SECRET_SIZE = 1024 * 1024
"""core.MaxSecretSize: the limit on a Secret's data and on a ConfigMap's data and binaryData."""
IMMUTABLE_SET = "field is immutable when `immutable` is set"
ENFORCE_MOUNTABLE_SECRETS = "kubernetes.io/enforce-mountable-secrets"
SERVICE_ACCOUNT_NAME_KEY = "kubernetes.io/service-account.name"
_CONFIG_KEY = re.compile(r"[-._a-zA-Z0-9]+")
_CONFIG_KEY_ERROR = (
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
    "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', "
    "regex used for validation is '[-._a-zA-Z0-9]+')"
)
_REQUIRED_KEYS = {
    "kubernetes.io/dockercfg": (".dockercfg",),
    "kubernetes.io/dockerconfigjson": (".dockerconfigjson",),
    "kubernetes.io/tls": ("tls.crt", "tls.key"),
}
_PEM_BLOCK = re.compile(r"-----BEGIN ([^\n-]*)-----")


def is_config_map_key(key: str) -> list[str]:
    """apimachinery IsConfigMapKey: what is wrong with a ConfigMap or Secret key."""
    errs = []
    if len(key.encode()) > DNS1123_SUBDOMAIN_MAX:
        errs.append(f"must be no more than {DNS1123_SUBDOMAIN_MAX} characters")
    if not _CONFIG_KEY.fullmatch(key):
        errs.append(_CONFIG_KEY_ERROR)
    if key == ".":
        errs.append("must not be '.'")
    elif key == "..":
        errs.append("must not be '..'")
    elif key.startswith(".."):
        errs.append("must not start with '..'")
    return errs


def _key_errors(keys: dict, field: str) -> list[FieldError]:
    return [
        FieldError.invalid(f"{field}[{key}]", key, msg)
        for key in keys
        for msg in is_config_map_key(key)
    ]


def _decoded(value: object) -> bytes:
    """A []byte field's bytes from its base64 text (decoding refuses text that is not base64)."""
    try:
        return base64.b64decode(str(value or ""), validate=True)
    except binascii.Error:
        return str(value).encode()


def _validate_config_map(obj: dict) -> list[FieldError]:
    data, binary = obj.get("data") or {}, obj.get("binaryData") or {}
    errs = _key_errors(data, "data")
    errs.extend(
        FieldError.invalid(f"data[{key}]", key, "duplicate of key present in binaryData")
        for key in data
        if key in binary
    )
    errs.extend(_key_errors(binary, "binaryData"))
    size = sum(len(str(v).encode()) for v in data.values())
    size += sum(len(_decoded(v)) for v in binary.values())
    if size > MAX_SECRET_SIZE:
        errs.append(FieldError.too_long("[]", MAX_SECRET_SIZE))
    return errs


def _validate_immutable_contents(new: dict, old: dict, fields: tuple[str, ...]) -> list[FieldError]:
    """Once `immutable: true` is stored, it stays and so do the contents."""
    if not old.get("immutable"):
        return []
    errs = [] if new.get("immutable") else [FieldError.forbidden("immutable", IMMUTABLE_SET)]
    errs.extend(
        FieldError.forbidden(key, IMMUTABLE_SET)
        for key in fields
        if (new.get(key) or None) != (old.get(key) or None)
    )
    return errs


def _validate_config_map_update(new: dict, old: dict) -> list[FieldError]:
    errs = _validate_immutable_contents(new, old, ("data", "binaryData"))
    return errs + _validate_config_map(new)


def default_secret(obj: dict) -> None:
    """The v1 conversion folds stringData into data (base64); SetDefaults_Secret: type Opaque."""
    strings = obj.pop("stringData", None)
    if strings:
        data = obj.get("data") or {}
        for key, value in strings.items():
            data[key] = base64.b64encode(str(value).encode()).decode()
        obj["data"] = data
    if not obj.get("type"):
        obj["type"] = "Opaque"


def _json_error(raw: bytes) -> str | None:
    """encoding/json's complaint about a docker config that is not a JSON object (main cases)."""
    text = raw.decode("utf-8", "replace").strip()
    if not text:
        return "unexpected end of JSON input"
    try:
        parsed = json.loads(text)
    except ValueError:
        if text[0] in '{["-0123456789tfn':
            return "unexpected end of JSON input"
        return f"invalid character {text[0]!r} looking for beginning of value"
    if parsed is not None and not isinstance(parsed, dict):
        kind = {list: "array", str: "string", bool: "bool"}.get(type(parsed), "number")
        return f"json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
    return None


def _validate_secret_type(obj: dict) -> list[FieldError]:
    kind, data = obj.get("type") or "", obj.get("data") or {}
    if kind == "kubernetes.io/service-account-token":
        annotations = obj.get("metadata", {}).get("annotations") or {}
        if not annotations.get(SERVICE_ACCOUNT_NAME_KEY):
            return [FieldError.required(f"metadata.annotations[{SERVICE_ACCOUNT_NAME_KEY}]")]
        return []
    if kind in ("kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson"):
        (key,) = _REQUIRED_KEYS[kind]
        if key not in data:
            return [FieldError.required(f"data[{key}]")]
        problem = _json_error(_decoded(data[key]))
        if problem:
            return [FieldError.invalid(f"data[{key}]", "<secret contents redacted>", problem)]
        return []
    if kind == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            return [FieldError.required("data[username]"), FieldError.required("data[password]")]
        return []
    if kind == "kubernetes.io/ssh-auth":
        if not _decoded(data.get("ssh-privatekey")):
            return [FieldError.required("data[ssh-privatekey]")]
        return []
    if kind == "kubernetes.io/tls":
        return [
            FieldError.required(f"data[{key}]") for key in _REQUIRED_KEYS[kind] if key not in data
        ]
    return []


def _validate_secret(obj: dict) -> list[FieldError]:
    data = obj.get("data") or {}
    errs = _key_errors(data, "data")
    if sum(len(_decoded(v)) for v in data.values()) > MAX_SECRET_SIZE:
        errs.append(FieldError.too_long("data", MAX_SECRET_SIZE))
    return errs + _validate_secret_type(obj)


def _validate_secret_update(new: dict, old: dict) -> list[FieldError]:
    errs = validate_immutable(new.get("type"), old.get("type"), "type")
    errs.extend(_validate_immutable_contents(new, old, ("data",)))
    return errs + _validate_secret(new)


def _pem_types(raw: bytes) -> list[str]:
    return _PEM_BLOCK.findall(raw.decode("latin-1"))


def _secret_warnings(obj: dict) -> list[str]:
    """The TLS pair check of the secret strategy, as far as tls.X509KeyPair's PEM scan goes."""
    if obj.get("type") != "kubernetes.io/tls":
        return []
    data = obj.get("data") or {}
    certs = _pem_types(_decoded(data.get("tls.crt")))
    if "CERTIFICATE" not in certs:
        if not certs:
            return ["tls: failed to find any PEM data in certificate input"]
        if len(certs) == 1 and certs[0].endswith("PRIVATE KEY"):
            return [
                "tls: failed to find certificate PEM data in certificate input, but did find a "
                "private key; PEM inputs may have been switched"
            ]
        return [
            'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping '
            f"PEM blocks of the following types: [{' '.join(certs)}]"
        ]
    keys = _pem_types(_decoded(data.get("tls.key")))
    if any(k == "PRIVATE KEY" or k.endswith(" PRIVATE KEY") for k in keys):
        return []
    if not keys:
        return ["tls: failed to find any PEM data in key input"]
    if keys == ["CERTIFICATE"]:
        return ["tls: found a certificate rather than a key in the PEM for the private key"]
    return [
        'tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after '
        f"skipping PEM blocks of the following types: [{' '.join(keys)}]"
    ]


def _clean_secret_references(obj: dict) -> None:
    """cleanSecretReferences: a ServiceAccount's secrets keep only their names."""
    secrets = obj.get("secrets")
    if secrets:
        obj["secrets"] = [{"name": ref["name"]} if ref.get("name") else {} for ref in secrets]


def _service_account_warnings(obj: dict) -> list[str]:
    annotations = obj.get("metadata", {}).get("annotations") or {}
    if ENFORCE_MOUNTABLE_SECRETS not in annotations:
        return []
    return [
        f"metadata.annotations[{ENFORCE_MOUNTABLE_SECRETS}]: deprecated in v1.32+; prefer "
        "separate namespaces to isolate access to mounted secrets"
    ]


RULES = (
    KindRules(
        "ConfigMap",
        validate=_validate_config_map,
        validate_update=_validate_config_map_update,
    ),
    KindRules(
        "Secret",
        default=default_secret,
        validate=_validate_secret,
        validate_update=_validate_secret_update,
        warnings=_secret_warnings,
    ),
    KindRules(
        "ServiceAccount",
        default=_clean_secret_references,
        warnings=_service_account_warnings,
    ),
)
