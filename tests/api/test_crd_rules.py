"""CustomResourceDefinition rules and custom-resource schema checks, in the API server's words.

Sources (k8s.io/apiextensions-apiserver @ v0.33.1): pkg/apis/apiextensions/validation/
validation.go, pkg/apis/apiextensions/v1/defaults.go, pkg/apiserver/schema/validation.go,
pkg/apiserver/schema/pruning/algorithm.go, and pkg/apiserver/validation/validation_test.go
(`TestValidateCustomResource`: the kube-openapi messages reproduced below).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kubenet_nb.api.apiextensions.crd import default_crd, validate_crd, validate_crd_update
from kubenet_nb.api.apiextensions.openapi_validation import validate_value
from kubenet_nb.api.apiextensions.structural import apply_defaults, prune

SCHEMA = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "properties": {
                "cronSpec": {"type": "string"},
                "image": {"type": "string"},
                "replicas": {"type": "integer"},
            },
        }
    },
}


def crontab_crd(**spec: Any) -> dict:
    """The docs' CronTab CRD (kubernetes/website custom-resource-definitions.md), defaulted."""
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "crontabs.stable.example.com"},
        "spec": {
            "group": "stable.example.com",
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": copy.deepcopy(SCHEMA)},
                }
            ],
            "scope": "Namespaced",
            "names": {
                "plural": "crontabs",
                "singular": "crontab",
                "kind": "CronTab",
                "shortNames": ["ct"],
            },
            **spec,
        },
    }
    default_crd(crd)
    return crd


def messages(crd: dict) -> list[str]:
    return [str(error) for error in validate_crd(crd)]


def test_defaults() -> None:
    # v1/defaults.go: singular is the lowercased kind, listKind `<Kind>List`, conversion None,
    # storedVersions the storage version.
    crd = crontab_crd(names={"plural": "crontabs", "kind": "CronTab"})
    assert crd["spec"]["names"] == {
        "plural": "crontabs",
        "kind": "CronTab",
        "singular": "crontab",
        "listKind": "CronTabList",
    }
    assert crd["spec"]["conversion"] == {"strategy": "None"}
    assert crd["status"] == {"storedVersions": ["v1"]}
    assert messages(crd) == []


def test_the_name_is_plural_dot_group() -> None:
    crd = crontab_crd()
    crd["metadata"]["name"] = "crontab.stable.example.com"
    assert messages(crd) == [
        'metadata.name: Invalid value: "crontab.stable.example.com": '
        'must be spec.names.plural+"."+spec.group'
    ]


def test_the_group_is_a_domain_with_a_dot() -> None:
    crd = crontab_crd(group="example")
    crd["metadata"]["name"] = "crontabs.example"
    assert messages(crd) == [
        'spec.group: Invalid value: "example": should be a domain with at least one dot'
    ]


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("", "spec.scope: Required value"),
        (
            "Global",
            'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
        ),
    ],
)
def test_scope(scope: str, expected: str) -> None:
    assert messages(crontab_crd(scope=scope)) == [expected]


def test_exactly_one_storage_version() -> None:
    crd = crontab_crd()
    crd["spec"]["versions"][0]["storage"] = False
    crd["status"] = {}
    default_crd(crd)
    assert messages(crd) == [
        "spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{...}: "
        "must have exactly one version marked as storage version",
        "status.storedVersions: Invalid value: []string(nil): "
        "must have at least one stored version",
    ]


def test_schemas_are_required_in_v1() -> None:
    crd = crontab_crd()
    del crd["spec"]["versions"][0]["schema"]
    assert messages(crd) == [
        "spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required"
    ]


def test_names_rules() -> None:
    crd = crontab_crd(
        names={
            "plural": "CronTabs",
            "singular": "crontab",
            "kind": "Cron_Tab",
            "listKind": "Cron_Tab",
        }
    )
    crd["metadata"]["name"] = "CronTabs.stable.example.com"
    found = messages(crd)
    assert (
        'spec.names.plural: Invalid value: "CronTabs": a DNS-1035 label must consist of lower case '
        "alphanumeric characters or '-', start with an alphabetic character, and end with an "
        "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
        "'[a-z]([-a-z0-9]*[a-z0-9])?')" in found
    )
    assert (
        'spec.names.listKind: Invalid value: "Cron_Tab": kind and listKind may not be the same'
        in found
    )
    assert any(
        m.startswith('spec.names.kind: Invalid value: "Cron_Tab": may have mixed case')
        for m in found
    )


def test_a_structural_schema_needs_types() -> None:
    # pkg/apiserver/schema/validation.go: `type` on every specified field; errors sorted.
    crd = crontab_crd()
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    schema["properties"]["spec"]["properties"]["cronSpec"] = {"description": "no type"}
    schema["properties"]["spec"]["properties"]["list"] = {"type": "array"}
    assert messages(crd) == [
        "spec.validation.openAPIV3Schema.properties[spec].properties[cronSpec].type: "
        "Required value: must not be empty for specified object fields",
        "spec.validation.openAPIV3Schema.properties[spec].properties[list].items: "
        "Required value: must be specified",
    ]


def test_the_root_is_an_object_and_metadata_names_only() -> None:
    crd = crontab_crd()
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    schema["properties"]["metadata"] = {
        "type": "object",
        "properties": {"labels": {"type": "object"}},
    }
    assert messages(crd) == [
        "spec.validation.openAPIV3Schema.properties[metadata]: Forbidden: must not specify "
        "anything other than name and generateName, but metadata is implicitly specified"
    ]
    schema["properties"].pop("metadata")
    schema["type"] = "string"
    assert messages(crd) == [
        'spec.validation.openAPIV3Schema.type: Invalid value: "string": must be object at the root'
    ]


def test_per_version_schemas_are_named_per_version() -> None:
    crd = crontab_crd()
    other = copy.deepcopy(crd["spec"]["versions"][0])
    other.update(name="v2", storage=False)
    other["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]["x"] = {}
    crd["spec"]["versions"].append(other)
    assert messages(crd) == [
        "spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[x].type: "
        "Required value: must not be empty for specified object fields"
    ]


def test_printer_column_types() -> None:
    crd = crontab_crd()
    crd["spec"]["versions"][0]["additionalPrinterColumns"] = [
        {"name": "Spec", "type": "text", "jsonPath": ".spec.cronSpec"}
    ]
    assert messages(crd) == [
        'spec.additionalPrinterColumns[0].type: Invalid value: "text": '
        "must be one of any,boolean,date,integer,number,string"
    ]


def test_group_and_plural_are_immutable() -> None:
    old = crontab_crd()
    new = copy.deepcopy(old)
    new["spec"]["names"]["plural"] = "crons"
    new["metadata"]["name"] = "crons.stable.example.com"
    assert [str(e) for e in validate_crd_update(new, old)] == [
        'spec.names.plural: Invalid value: "crons": field is immutable'
    ]


OBJECT_FIELD = {"type": "object", "properties": {"field": {"type": "object"}}}
INT_OR_STRING = {"type": "object", "properties": {"field": {"x-kubernetes-int-or-string": True}}}


@pytest.mark.parametrize(
    ("schema", "value", "expected"),
    [
        # validation_test.go TestValidateCustomResource "!nullable"
        (
            OBJECT_FIELD,
            "foo",
            'field: Invalid value: "string": field in body must be of type object: "string"',
        ),
        (
            OBJECT_FIELD,
            42,
            'field: Invalid value: "integer": field in body must be of type object: "integer"',
        ),
        (
            OBJECT_FIELD,
            True,
            'field: Invalid value: "boolean": field in body must be of type object: "boolean"',
        ),
        (
            OBJECT_FIELD,
            1.2,
            'field: Invalid value: "number": field in body must be of type object: "number"',
        ),
        (
            OBJECT_FIELD,
            [],
            'field: Invalid value: "array": field in body must be of type object: "array"',
        ),
        (
            OBJECT_FIELD,
            None,
            'field: Invalid value: "null": field in body must be of type object: "null"',
        ),
        # "x-kubernetes-int-or-string"
        (
            INT_OR_STRING,
            None,
            'field: Invalid value: "null": field in body must be of type integer,string: "null"',
        ),
        (
            INT_OR_STRING,
            1.2,
            'field: Invalid value: "number": '
            'field in body must be of type integer,string: "number"',
        ),
        (
            INT_OR_STRING,
            {},
            'field: Invalid value: "object": '
            'field in body must be of type integer,string: "object"',
        ),
    ],
)
def test_upstream_type_errors(schema: dict, value: object, expected: str) -> None:
    assert [str(e) for e in validate_value({"field": value}, schema)] == [expected]


@pytest.mark.parametrize("value", [42, "foo"])
def test_int_or_string_accepts_both(value: object) -> None:
    assert validate_value({"field": value}, INT_OR_STRING) == []


def field(**schema: Any) -> dict:
    return {
        "type": "object",
        "properties": {"spec": {"type": "object", "properties": {"x": schema}}},
    }


@pytest.mark.parametrize(
    ("schema", "value", "expected"),
    [
        (
            field(type="integer"),
            "string",
            'spec.x: Invalid value: "string": spec.x in body must be of type integer: "string"',
        ),
        (
            field(type="string", enum=["a", "b"]),
            "c",
            'spec.x: Unsupported value: "c": supported values: "a", "b"',
        ),
        (
            field(type="string", maxLength=5),
            "toolong",
            "spec.x: Too long: may not be more than 5 bytes",
        ),
        (
            field(type="string", minLength=3),
            "ab",
            'spec.x: Invalid value: "ab": spec.x in body should be at least 3 chars long',
        ),
        (
            field(type="string", pattern="^[0-9]+$"),
            "abc",
            "spec.x: Invalid value: \"abc\": spec.x in body should match '^[0-9]+$'",
        ),
        (
            field(type="integer", minimum=1),
            0,
            "spec.x: Invalid value: 0: spec.x in body should be greater than or equal to 1",
        ),
        (
            field(type="integer", maximum=10),
            20,
            "spec.x: Invalid value: 20: spec.x in body should be less than or equal to 10",
        ),
        (
            field(type="array", items={"type": "string"}, minItems=1),
            [],
            "spec.x: Invalid value: 0: spec.x in body should have at least 1 items",
        ),
        (
            field(type="array", items={"type": "string"}, maxItems=1),
            ["a", "b"],
            "spec.x: Too many: 2: must have at most 1 items",
        ),
        (
            field(type="array", items={"type": "integer"}),
            [1, "a"],
            'spec.x[1]: Invalid value: "string": '
            'spec.x[1] in body must be of type integer: "string"',
        ),
    ],
)
def test_value_checks(schema: dict, value: object, expected: str) -> None:
    assert [str(e) for e in validate_value({"spec": {"x": value}}, schema)] == [expected]


def test_required_fields() -> None:
    schema = {"type": "object", "required": ["spec"], "properties": {"spec": {"type": "object"}}}
    assert [str(e) for e in validate_value({}, schema)] == ["spec: Required value"]


def test_pruning_keeps_meta_fields_at_the_root_and_sorts_paths() -> None:
    obj = {
        "apiVersion": "g/v1",
        "kind": "K",
        "metadata": {},
        "spec": {"z": 1, "a": 2, "image": "i"},
        "top": 1,
    }
    schema = {
        "type": "object",
        "properties": {"spec": {"type": "object", "properties": {"image": {"type": "string"}}}},
    }
    assert prune(obj, schema) == ["spec.a", "spec.z", "top"]
    assert obj == {"apiVersion": "g/v1", "kind": "K", "metadata": {}, "spec": {"image": "i"}}


def test_preserve_unknown_fields_and_embedded_resources() -> None:
    schema = {
        "type": "object",
        "properties": {
            "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
            "template": {
                "type": "object",
                "x-kubernetes-embedded-resource": True,
                "properties": {"spec": {"type": "object"}},
            },
        },
    }
    obj = {
        "free": {"anything": [1]},
        "template": {"kind": "Pod", "metadata": {"name": "a"}, "spec": {}, "x": 1},
    }
    assert prune(obj, schema) == ["template.x"]
    assert obj["free"] == {"anything": [1]}
    assert obj["template"] == {"kind": "Pod", "metadata": {"name": "a"}, "spec": {}}


def test_defaults_fill_absent_fields() -> None:
    schema = field(type="integer", default=1)
    obj: dict = {"spec": {}}
    apply_defaults(obj, schema)
    assert obj == {"spec": {"x": 1}}
