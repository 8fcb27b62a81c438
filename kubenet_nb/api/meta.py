"""ObjectMeta, label and annotation validation, worded as the API server words it.

Follows k8s.io/apimachinery/pkg/api/validation/objectmeta.go (ValidateObjectMeta and its update
twin), apimachinery/pkg/apis/meta/v1/validation (ValidateLabels) and the core additions of
pkg/apis/core/validation/validation.go (finalizer names). Values that Go prints with `%#v`
(maps, label selectors) are wrapped in `GoValue` so `FieldError` shows them as kubectl does.
The one-field checks every kind uses (DNS labels, qualified names, ports) are here too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.names import (
    is_dns1035_label,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
    is_valid_label_value,
    is_valid_port_name,
    is_valid_port_num,
)

__all__ = [
    "FIELD_IMMUTABLE",
    "NEGATIVE",
    "PORT_PROTOCOLS",
    "TOTAL_ANNOTATION_SIZE_LIMIT",
    "GoValue",
    "NameFn",
    "field_diff",
    "go_quote",
    "go_string_map",
    "name_is_dns1035_label",
    "name_is_dns_label",
    "name_is_dns_subdomain",
    "validate_annotations",
    "validate_dns1123_label",
    "validate_immutable",
    "validate_label_name",
    "validate_labels",
    "validate_nonnegative",
    "validate_object_meta",
    "validate_object_meta_update",
    "validate_port_num_or_name",
    "validate_qualified_name",
]

NameFn = Callable[[str, bool], list[str]]
FIELD_IMMUTABLE = "field is immutable"
NEGATIVE = "must be greater than or equal to 0"
PORT_PROTOCOLS = ["SCTP", "TCP", "UDP"]
"""supportedPortProtocols of containers, Services and endpoints, sorted as sets.List gives them."""
TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024
_STANDARD_FINALIZERS = frozenset({"kubernetes", "orphan", "foregroundDeletion"})


class GoValue:
    """A bad value already rendered as Go's `%#v` would render it (str() is that text)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"GoValue({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoValue) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


_GO_ESCAPES = {
    "\x07": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
}


def field_diff(type_name: str, old: dict, new: dict) -> str:
    """What the "field is immutable" messages quote: upstream prints a go-cmp diff of the Go
    struct (`cmp.Diff`); this lists the changed fields, `-` old and `+` new, in that frame."""
    lines = [f"  {type_name}{{"]
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            if key in old:
                lines.append(f"- \t{key}: {json.dumps(old[key], sort_keys=True)},")
            if key in new:
                lines.append(f"+ \t{key}: {json.dumps(new[key], sort_keys=True)},")
    return "\n".join([*lines, "  }"]) + "\n"


def go_quote(text: str) -> str:
    r"""Go's strconv.Quote (what `%q` prints): printable runes kept, the rest escaped.

    >>> print(go_quote('a"b\\c\t\x01é\u2028'))
    "a\"b\\c\t\x01é\u2028"
    """
    out = ['"']
    for char in text:
        if char in _GO_ESCAPES:
            out.append(_GO_ESCAPES[char])
        elif char.isprintable():  # Go's unicode.IsPrint: letters, marks, numbers, punct, symbols
            out.append(char)
        elif ord(char) < 0x80:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    out.append('"')
    return "".join(out)


def go_string_map(values: dict[str, str] | None) -> str:
    """`%#v` of a map[string]string: keys sorted, nil shown as `map[string]string(nil)`."""
    if values is None:
        return "map[string]string(nil)"
    body = ", ".join(f"{go_quote(k)}:{go_quote(str(v))}" for k, v in sorted(values.items()))
    return "map[string]string{" + body + "}"


def _mask_trailing_dash(name: str) -> str:
    # apimachinery maskTrailingDash: replaces the last *two* characters with "a".
    return name[:-2] + "a" if name.endswith("-") else name


def name_is_dns_subdomain(name: str, prefix: bool) -> list[str]:
    """NameIsDNSSubdomain: pods, deployments, replicasets, nodes, endpoints, endpointslices."""
    return is_dns1123_subdomain(_mask_trailing_dash(name) if prefix else name)


def name_is_dns_label(name: str, prefix: bool) -> list[str]:
    """NameIsDNSLabel: namespaces (ValidateNamespaceName)."""
    return is_dns1123_label(_mask_trailing_dash(name) if prefix else name)


def name_is_dns1035_label(name: str, prefix: bool) -> list[str]:
    """NameIsDNS1035Label: services."""
    return is_dns1035_label(_mask_trailing_dash(name) if prefix else name)


def validate_nonnegative(value: Any, field: str) -> list[FieldError]:
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return [FieldError.invalid(field, value, NEGATIVE)]
    return []


def validate_dns1123_label(value: str, field: str) -> list[FieldError]:
    return [FieldError.invalid(field, value, msg) for msg in is_dns1123_label(value)]


def validate_qualified_name(value: str, field: str) -> list[FieldError]:
    return [FieldError.invalid(field, value, msg) for msg in is_qualified_name(value)]


def validate_port_num_or_name(port: int | str, field: str) -> list[FieldError]:
    """ValidatePortNumOrName: an int 1-65535 or an IANA_SVC_NAME."""
    if isinstance(port, str):
        return [FieldError.invalid(field, port, msg) for msg in is_valid_port_name(port)]
    return [FieldError.invalid(field, port, msg) for msg in is_valid_port_num(port)]


def validate_label_name(name: str, field: str) -> list[FieldError]:
    """ValidateLabelName: a qualified name."""
    return validate_qualified_name(name, field)


def validate_labels(labels: dict[str, str] | None, field: str) -> list[FieldError]:
    """ValidateLabels: every key a qualified name, every value a label value (path has no key)."""
    errs: list[FieldError] = []
    for key, value in (labels or {}).items():
        errs.extend(validate_label_name(key, field))
        text = value if isinstance(value, str) else str(value)
        errs.extend(FieldError.invalid(field, text, msg) for msg in is_valid_label_value(text))
    return errs


def validate_annotations(annotations: dict[str, str] | None, field: str) -> list[FieldError]:
    """ValidateAnnotations: keys are case-insensitive qualified names; 256 KiB in total."""
    errs: list[FieldError] = []
    total = 0
    for key, value in (annotations or {}).items():
        errs.extend(FieldError.invalid(field, key, msg) for msg in is_qualified_name(key.lower()))
        total += len(key.encode()) + len(str(value).encode())
    if total > TOTAL_ANNOTATION_SIZE_LIMIT:
        errs.append(FieldError.too_long(field, TOTAL_ANNOTATION_SIZE_LIMIT))
    return errs


def _validate_owner_references(refs: list[dict] | None, field: str) -> list[FieldError]:
    """The per-reference checks of ValidateOwnerReferences (the one-controller rule is left out:
    upstream prints the whole list with Go pointers, which cannot be reproduced)."""
    errs: list[FieldError] = []
    for ref in refs or []:
        api_version = ref.get("apiVersion", "")
        if not api_version.rsplit("/", 1)[-1]:
            errs.append(
                FieldError.invalid(f"{field}.apiVersion", api_version, "version must not be empty")
            )
        for key in ("kind", "name", "uid"):
            if not ref.get(key):
                errs.append(
                    FieldError.invalid(f"{field}.{key}", ref.get(key, ""), "must not be empty")
                )
    return errs


def _validate_finalizers(finalizers: list[str] | None, field: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for finalizer in finalizers or []:
        errs.extend(validate_qualified_name(finalizer, field))
    if finalizers and "orphan" in finalizers and "foregroundDeletion" in finalizers:
        errs.append(
            FieldError.invalid(
                field,
                list(finalizers),
                "finalizer orphan and foregroundDeletion cannot be both set",
            )
        )
    for i, finalizer in enumerate(finalizers or []):
        if "/" not in finalizer and finalizer not in _STANDARD_FINALIZERS:
            errs.append(
                FieldError.invalid(
                    f"{field}[{i}]",
                    finalizer,
                    "name is neither a standard finalizer name nor is it fully qualified",
                )
            )
    return errs


def validate_object_meta(
    meta: dict, namespaced: bool, name_fn: NameFn, field: str = "metadata"
) -> list[FieldError]:
    """ValidateObjectMeta on create: name, generateName, namespace, labels, annotations, ..."""
    errs: list[FieldError] = []
    generate_name = meta.get("generateName") or ""
    if generate_name:
        errs.extend(
            FieldError.invalid(f"{field}.generateName", generate_name, msg)
            for msg in name_fn(generate_name, True)
        )
    name = meta.get("name") or ""
    if not name:
        errs.append(FieldError.required(f"{field}.name", "name or generateName is required"))
    else:
        errs.extend(FieldError.invalid(f"{field}.name", name, msg) for msg in name_fn(name, False))
    namespace = meta.get("namespace") or ""
    if namespaced:
        if not namespace:
            errs.append(FieldError.required(f"{field}.namespace"))
        else:
            errs.extend(
                FieldError.invalid(f"{field}.namespace", namespace, msg)
                for msg in name_is_dns_label(namespace, False)
            )
    elif namespace:
        errs.append(FieldError.forbidden(f"{field}.namespace", "not allowed on this type"))
    errs.extend(validate_nonnegative(meta.get("generation", 0), f"{field}.generation"))
    errs.extend(validate_labels(meta.get("labels"), f"{field}.labels"))
    errs.extend(validate_annotations(meta.get("annotations"), f"{field}.annotations"))
    errs.extend(_validate_owner_references(meta.get("ownerReferences"), f"{field}.ownerReferences"))
    errs.extend(_validate_finalizers(meta.get("finalizers"), f"{field}.finalizers"))
    return errs


def validate_immutable(new: Any, old: Any, field: str, shown: Any = None) -> list[FieldError]:
    """ValidateImmutableField: `field is immutable`, showing `shown` (default: the new value)."""
    if new == old:
        return []
    return [FieldError.invalid(field, new if shown is None else shown, FIELD_IMMUTABLE)]


def validate_object_meta_update(new: dict, old: dict, field: str = "metadata") -> list[FieldError]:
    """ValidateObjectMetaUpdate: identity fields immutable, labels and annotations still valid."""
    errs: list[FieldError] = []
    if old.get("deletionTimestamp"):
        added = sorted(set(new.get("finalizers") or []) - set(old.get("finalizers") or []))
        if added:
            listed = "[]string{" + ", ".join(go_quote(f) for f in added) + "}"
            errs.append(
                FieldError.forbidden(
                    f"{field}.finalizers",
                    "no new finalizers can be added if the object is being deleted, found new "
                    f"finalizers {listed}",
                )
            )
    if new.get("generation", 0) < old.get("generation", 0):
        errs.append(
            FieldError.invalid(
                f"{field}.generation", new.get("generation", 0), "must not be decremented"
            )
        )
    for key in ("name", "namespace", "uid"):
        errs.extend(validate_immutable(new.get(key, ""), old.get(key, ""), f"{field}.{key}"))
    for key in ("creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"):
        errs.extend(validate_immutable(new.get(key), old.get(key), f"{field}.{key}"))
    errs.extend(validate_labels(new.get("labels"), f"{field}.labels"))
    errs.extend(validate_annotations(new.get("annotations"), f"{field}.annotations"))
    errs.extend(_validate_owner_references(new.get("ownerReferences"), f"{field}.ownerReferences"))
    errs.extend(_validate_finalizers(new.get("finalizers"), f"{field}.finalizers"))
    return errs
