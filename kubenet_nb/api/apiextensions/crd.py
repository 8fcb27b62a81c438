"""CustomResourceDefinitions (apiextensions.k8s.io/v1): defaults, validation, status on create.

k8s.io/apiextensions-apiserver @ v0.33.1: pkg/apis/apiextensions/v1/defaults.go (singular and
listKind from the kind, conversion `None`, storedVersions), pkg/registry/customresourcedefinition/
strategy.go (status reset on create, storedVersions set to the storage version, generation kept)
and pkg/apis/apiextensions/validation/validation.go (`ValidateCustomResourceDefinition`: the name
rule, group, scope, versions, names, schemas, printer columns, conversion; on update the group,
plural, and once established the scope and kind, are immutable). The v1 → internal conversion
lifts schemas, subresources and printer columns that every version shares to the top level, so
their errors name `spec.validation`, `spec.subresources`, `spec.additionalPrinterColumns`.
Not checked: CEL rules, selectableFields, webhook conversion details, defaults' own validity.
"""

from __future__ import annotations

from typing import Any

from kubenet_nb.api.apiextensions.structural import validate_structural
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.meta import GoValue, validate_immutable
from kubenet_nb.api.names import is_dns1035_label, is_dns1123_subdomain

__all__ = ["RULES", "default_crd", "validate_crd", "validate_crd_update"]

_SCOPES = ["Cluster", "Namespaced"]
_COLUMN_TYPES = "any,boolean,date,integer,number,string"
_COLUMN_FORMATS = "byte,date,date-time,double,float,int32,int64,password"
_CONVERSIONS = ["None", "Webhook"]
_VERSIONS_VALUE = GoValue("[]apiextensions.CustomResourceDefinitionVersion{...}")
"""`%#v` of spec.versions is a dump of Go structs (with pointers): not reproduced."""


def default_crd(obj: dict) -> None:
    """SetDefaults_CustomResourceDefinition(Spec): names, conversion, storedVersions."""
    spec = obj.setdefault("spec", {})
    names = spec.setdefault("names", {})
    kind = names.get("kind") or ""
    if not names.get("singular") and kind:
        names["singular"] = kind.lower()
    if not names.get("listKind") and kind:
        names["listKind"] = kind + "List"
    if spec.get("conversion") is None:
        spec["conversion"] = {"strategy": "None"}
    webhook = (spec["conversion"].get("webhook") or {}).get("clientConfig") or {}
    if isinstance(webhook.get("service"), dict):
        webhook["service"].setdefault("port", 443)
    status = obj.setdefault("status", {})
    if not status.get("storedVersions"):
        storage = [v.get("name") for v in spec.get("versions") or [] if v.get("storage")]
        if storage:
            status["storedVersions"] = storage[:1]


def _shared(versions: list[dict], key: str) -> Any:
    """The value every version gives `key`, when they all give the same non-empty one."""
    values = [v.get(key) for v in versions]
    if versions and values[0] and all(value == values[0] for value in values):
        return values[0]
    return None


def _dns1035(value: str, field: str) -> list[FieldError]:
    messages = is_dns1035_label(value)
    return [FieldError.invalid(field, value, ",".join(messages))] if messages else []


def validate_names(names: dict, path: str) -> list[FieldError]:
    """ValidateCustomResourceDefinitionNames."""
    errs: list[FieldError] = []
    for key in ("plural", "singular"):
        if names.get(key):
            errs += _dns1035(names[key], f"{path}.{key}")
    for key in ("kind", "listKind"):
        value = names.get(key) or ""
        messages = is_dns1035_label(value.lower()) if value else []
        if messages:
            detail = "may have mixed case, but should otherwise match: " + ",".join(messages)
            errs.append(FieldError.invalid(f"{path}.{key}", value, detail))
    for index, short in enumerate(names.get("shortNames") or []):
        errs += _dns1035(short, f"{path}.shortNames[{index}]")
    if names.get("kind") and names.get("kind") == names.get("listKind"):
        errs.append(
            FieldError.invalid(
                f"{path}.listKind", names["listKind"], "kind and listKind may not be the same"
            )
        )
    for index, category in enumerate(names.get("categories") or []):
        errs += _dns1035(category, f"{path}.categories[{index}]")
    return errs


def _validate_column(column: dict, path: str) -> list[FieldError]:
    """ValidateCustomResourceColumnDefinition."""
    errs: list[FieldError] = []
    if not column.get("name"):
        errs.append(FieldError.required(f"{path}.name"))
    kind = column.get("type") or ""
    detail = f"must be one of {_COLUMN_TYPES}"
    if not kind:
        errs.append(FieldError.required(f"{path}.type", detail))
    elif kind not in _COLUMN_TYPES.split(","):
        errs.append(FieldError.invalid(f"{path}.type", kind, detail))
    fmt = column.get("format") or ""
    if fmt and fmt not in _COLUMN_FORMATS.split(","):
        errs.append(FieldError.invalid(f"{path}.format", fmt, f"must be one of {_COLUMN_FORMATS}"))
    if not column.get("jsonPath"):
        errs.append(FieldError.required(f"{path}.JSONPath"))
    return errs


def _validate_schema(schema: Any, path: str) -> list[FieldError]:
    """validateCustomResourceDefinitionValidation: a structural schema, nullable not at root."""
    if not isinstance(schema, dict):
        return []
    errs: list[FieldError] = []
    if schema.get("nullable"):
        errs.append(FieldError.forbidden(f"{path}.nullable", "nullable cannot be true at the root"))
    return errs + validate_structural(schema, path)


def _validate_versions(spec: dict) -> list[FieldError]:
    """Each version's name, schema, columns; one storage version; unique names."""
    errs: list[FieldError] = []
    versions = spec.get("versions") or []
    shared_schema = _shared(versions, "schema")
    shared_columns = _shared(versions, "additionalPrinterColumns")
    names: set[str] = set()
    unique = True
    for index, version in enumerate(versions):
        path = f"spec.versions[{index}]"
        name = version.get("name") or ""
        unique = unique and name not in names
        names.add(name)
        errs += _dns1035(name, f"{path}.name")
        if shared_schema is None:
            errs += _validate_schema(
                (version.get("schema") or {}).get("openAPIV3Schema"),
                f"{path}.schema.openAPIV3Schema",
            )
        if shared_columns is None:
            for i, column in enumerate(version.get("additionalPrinterColumns") or []):
                errs += _validate_column(column, f"{path}.additionalPrinterColumns[{i}]")
    if not unique:
        errs.append(
            FieldError.invalid(
                "spec.versions", _VERSIONS_VALUE, "must contain unique version names"
            )
        )
    if sum(1 for v in versions if v.get("storage")) != 1:
        errs.append(
            FieldError.invalid(
                "spec.versions",
                _VERSIONS_VALUE,
                "must have exactly one version marked as storage version",
            )
        )
    return errs


def _validate_spec_names(names: dict) -> list[FieldError]:
    errs = [
        FieldError.required(f"spec.names.{key}")
        for key in ("plural", "singular", "kind", "listKind")
        if not names.get(key)
    ]
    return errs + validate_names(names, "spec.names")


def _validate_conversion(conversion: Any) -> list[FieldError]:
    if not isinstance(conversion, dict):
        return []
    strategy = conversion.get("strategy") or ""
    if not strategy:
        return [FieldError.required("spec.conversion.strategy")]
    if strategy not in _CONVERSIONS:
        return [FieldError.not_supported("spec.conversion.strategy", strategy, _CONVERSIONS)]
    if strategy == "Webhook" and not (conversion.get("webhook") or {}).get("clientConfig"):
        return [
            FieldError.required(
                "spec.conversion.webhookClientConfig", "required when strategy is set to Webhook"
            )
        ]
    return []


def _validate_group(group: str) -> list[FieldError]:
    if not group:
        return [FieldError.required("spec.group")]
    messages = is_dns1123_subdomain(group)
    if messages:
        return [FieldError.invalid("spec.group", group, ",".join(messages))]
    if "." not in group:
        return [FieldError.invalid("spec.group", group, "should be a domain with at least one dot")]
    return []


def validate_crd(obj: dict) -> list[FieldError]:
    """ValidateCustomResourceDefinition beyond ObjectMeta's DNS-subdomain check."""
    spec = obj.get("spec") or {}
    names = spec.get("names") or {}
    group = spec.get("group") or ""
    errs: list[FieldError] = []
    name = (obj.get("metadata") or {}).get("name") or ""
    if name and name != f"{names.get('plural', '')}.{group}":
        errs.append(
            FieldError.invalid("metadata.name", name, 'must be spec.names.plural+"."+spec.group')
        )
    errs += _validate_group(group)
    scope = spec.get("scope") or ""
    if not scope:
        errs.append(FieldError.required("spec.scope"))
    elif scope not in _SCOPES:
        errs.append(FieldError.not_supported("spec.scope", scope, _SCOPES))
    versions = spec.get("versions") or []
    for index, version in enumerate(versions):
        if (
            not (version.get("schema") or {}).get("openAPIV3Schema")
            and _shared(versions, "schema") is None
        ):
            errs.append(
                FieldError.required(
                    f"spec.versions[{index}].schema.openAPIV3Schema", "schemas are required"
                )
            )
    errs += _validate_versions(spec)
    errs += _validate_spec_names(names)
    shared = _shared(versions, "schema")
    if shared is not None:
        errs += _validate_schema(shared.get("openAPIV3Schema"), "spec.validation.openAPIV3Schema")
    for index, column in enumerate(_shared(versions, "additionalPrinterColumns") or []):
        errs += _validate_column(column, f"spec.additionalPrinterColumns[{index}]")
    errs += _validate_conversion(spec.get("conversion"))
    stored = (obj.get("status") or {}).get("storedVersions") or []
    if not stored:
        errs.append(
            FieldError.invalid(
                "status.storedVersions",
                GoValue("[]string(nil)"),
                "must have at least one stored version",
            )
        )
    return errs


def _established(obj: dict) -> bool:
    conditions = (obj.get("status") or {}).get("conditions") or []
    return any(c.get("type") == "Established" and c.get("status") == "True" for c in conditions)


def validate_crd_update(obj: dict, old: dict) -> list[FieldError]:
    """ValidateCustomResourceDefinitionUpdate: the create rules, plus what may not change."""
    errs = validate_crd(obj)
    spec, old_spec = obj.get("spec") or {}, old.get("spec") or {}
    names, old_names = spec.get("names") or {}, old_spec.get("names") or {}
    if _established(old):
        errs += validate_immutable(spec.get("scope"), old_spec.get("scope"), "spec.scope")
        errs += validate_immutable(names.get("kind"), old_names.get("kind"), "spec.names.kind")
    errs += validate_immutable(spec.get("group"), old_spec.get("group"), "spec.group")
    errs += validate_immutable(names.get("plural"), old_names.get("plural"), "spec.names.plural")
    return errs


RULES = (
    KindRules(
        "CustomResourceDefinition",
        default=default_crd,
        validate=validate_crd,
        validate_update=validate_crd_update,
        status={},
        generation=True,
    ),
)
