"""ObjectMeta, label and annotation validation (kubenet_nb.api.meta)."""

from __future__ import annotations

from kubenet_nb.api.meta import (
    GoValue,
    go_string_map,
    name_is_dns1035_label,
    name_is_dns_label,
    name_is_dns_subdomain,
    validate_annotations,
    validate_labels,
    validate_object_meta,
    validate_object_meta_update,
)
from kubenet_nb.api.names import is_dns1123_subdomain, is_qualified_name, is_valid_label_value


def texts(errs: list) -> list[str]:
    return [str(e) for e in errs]


def test_name_or_generate_name_is_required() -> None:
    # staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go ValidateObjectMetaAccessor
    errs = validate_object_meta({}, True, name_is_dns_subdomain)
    assert texts(errs) == [
        "metadata.name: Required value: name or generateName is required",
        "metadata.namespace: Required value",
    ]


def test_a_valid_namespaced_meta_has_no_errors() -> None:
    meta = {"name": "web", "namespace": "default", "labels": {"app": "web", "empty": ""}}
    assert validate_object_meta(meta, True, name_is_dns_subdomain) == []


def test_cluster_scoped_objects_refuse_a_namespace() -> None:
    # objectmeta.go: field.Forbidden(namespace, "not allowed on this type")
    errs = validate_object_meta({"name": "n1", "namespace": "x"}, False, name_is_dns_subdomain)
    assert texts(errs) == ["metadata.namespace: Forbidden: not allowed on this type"]


def test_bad_name_reports_each_problem_against_metadata_name() -> None:
    errs = validate_object_meta({"name": "Web", "namespace": "d"}, True, name_is_dns_subdomain)
    assert texts(errs) == [f'metadata.name: Invalid value: "Web": {is_dns1123_subdomain("Web")[0]}']


def test_generate_name_may_end_with_a_dash() -> None:
    # generic.go: with prefix=true a trailing dash is masked before the check
    assert name_is_dns_subdomain("web-", True) == []
    assert name_is_dns_label("web-", True) == []
    assert name_is_dns1035_label("web-", True) == []
    assert name_is_dns_subdomain("web-", False) != []
    meta = {"generateName": "Web-", "name": "web-x2c4d", "namespace": "default"}
    errs = validate_object_meta(meta, True, name_is_dns_subdomain)
    assert [e.field for e in errs] == ["metadata.generateName"]


def test_label_errors_carry_the_labels_path_without_the_key() -> None:
    # meta/v1/validation ValidateLabels: field.Invalid(fldPath, v, msg) with fldPath = labels
    errs = validate_labels({"app": "-web"}, "metadata.labels")
    assert texts(errs) == [
        f'metadata.labels: Invalid value: "-web": {msg}' for msg in is_valid_label_value("-web")
    ]
    errs = validate_labels({"bad key": "x"}, "metadata.labels")
    assert texts(errs) == [
        f'metadata.labels: Invalid value: "bad key": {msg}' for msg in is_qualified_name("bad key")
    ]


def test_annotation_keys_ignore_case_and_total_size_is_capped() -> None:
    # objectmeta.go ValidateAnnotations: lower-cased key check; TotalAnnotationSizeLimitB 256 KiB
    assert validate_annotations({"Example.COM/Note": "x"}, "metadata.annotations") == []
    big = {"a": "x" * (256 * 1024)}
    errs = validate_annotations(big, "metadata.annotations")
    assert [(e.type, e.field) for e in errs] == [("FieldValueTooLong", "metadata.annotations")]
    assert validate_annotations({"a": "x" * (256 * 1024 - 1)}, "metadata.annotations") == []


def test_finalizers_must_be_standard_or_qualified() -> None:
    # core validation.go validateKubeFinalizerName
    meta = {"name": "web", "namespace": "d", "finalizers": ["kubernetes", "foo", "x.io/foo"]}
    errs = validate_object_meta(meta, True, name_is_dns_subdomain)
    assert texts(errs) == [
        'metadata.finalizers[1]: Invalid value: "foo": '
        "name is neither a standard finalizer name nor is it fully qualified"
    ]


def test_negative_generation_is_refused() -> None:
    errs = validate_object_meta({"name": "a", "generation": -1}, False, name_is_dns_subdomain)
    assert texts(errs) == [
        "metadata.generation: Invalid value: -1: must be greater than or equal to 0"
    ]


def test_identity_fields_are_immutable_on_update() -> None:
    # objectmeta.go ValidateObjectMetaAccessorUpdate + FieldImmutableErrorMsg
    old = {"name": "a", "namespace": "d", "uid": "1", "generation": 2}
    new = {"name": "b", "namespace": "d", "uid": "1", "generation": 1}
    assert texts(validate_object_meta_update(new, old)) == [
        "metadata.generation: Invalid value: 1: must not be decremented",
        'metadata.name: Invalid value: "b": field is immutable',
    ]


def test_go_renderings_match_fmt_percent_sharp_v() -> None:
    assert go_string_map(None) == "map[string]string(nil)"
    assert go_string_map({"b": "2", "a": "1"}) == 'map[string]string{"a":"1", "b":"2"}'
    assert str(GoValue("x")) == "x"
