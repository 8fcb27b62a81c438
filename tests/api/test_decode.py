"""Typed decoding at the one door: wrong types, ranges and unknown fields, in upstream words.

Sources (facts only): kubernetes-sigs/json internal/golang/encoding/json/decode.go and
kubernetes_patch.go (UnmarshalTypeError text, strict field paths); kubernetes/kubernetes
staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go @ v1.33.0 (`transformDecodeError`),
staging/src/k8s.io/apimachinery/pkg/runtime/error.go @ v1.33.0 (`strict decoding error: `);
kubernetes-sigs/yaml yaml.go @ v1.4.0 (non-string keys: `true`) and go-yaml v2 decode.go
(timestamps stay strings when decoded into interface{}).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubenet_nb.api.decode import decode, refresh
from kubenet_nb.api.decode.checker import Walk, go_string
from kubenet_nb.api.decode.schema import kind_checker
from kubenet_nb.api.errors import KubenetError
from kubenet_nb.cluster.control_plane import ControlPlane

PREFIX = (
    'Error from server (BadRequest): Deployment in version "v1" cannot be handled as a Deployment: '
)


def deployment(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {"name": "c", "image": "nginx", "ports": [{"containerPort": 80}]}
                    ]
                },
            },
            **spec,
        },
    }


@pytest.fixture(scope="module")
def plane() -> ControlPlane:
    return ControlPlane(workers=1, system_pods=False)


def refusal(plane: ControlPlane, obj: dict[str, Any], **kw: Any) -> str:
    with pytest.raises(KubenetError) as caught:
        plane.create(obj, **kw)
    return str(caught.value)


def test_string_replicas_is_refused_in_the_api_servers_words(plane: ControlPlane) -> None:
    text = refusal(plane, deployment(replicas="3"))
    assert text == PREFIX + (
        "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas"
        " of type int32"
    )


def test_int32_overflow(plane: ControlPlane) -> None:
    assert refusal(plane, deployment(replicas=2**31)).endswith(
        "json: cannot unmarshal number 2147483648 into Go struct field "
        "DeploymentSpec.spec.replicas of type int32"
    )


def test_object_port_name_is_refused(plane: ControlPlane) -> None:
    obj = deployment()
    obj["spec"]["template"]["spec"]["containers"][0]["ports"] = [{"name": {}, "containerPort": 80}]
    assert refusal(plane, obj) == PREFIX + (
        "json: cannot unmarshal object into Go struct field "
        "ContainerPort.spec.template.spec.containers.ports.name of type string"
    )


@pytest.mark.parametrize(("value", "word"), [(7, "number"), (True, "bool"), (1.5, "number")])
def test_non_string_label_values_are_refused(plane: ControlPlane, value: Any, word: str) -> None:
    obj = deployment()
    obj["metadata"]["labels"] = {"tier": value}
    assert refusal(plane, obj) == PREFIX + (
        f"json: cannot unmarshal {word} into Go struct field ObjectMeta.metadata.labels"
        " of type string"
    )


def test_yaml_on_key_becomes_true_as_sigs_yaml_writes_it() -> None:
    """`labels: {on: x}`: go-yaml v2 reads `on` as true; YAMLToJSON writes the key "true"."""
    obj = deployment()
    obj["metadata"]["labels"] = {True: "x"}
    assert decode(obj).obj["metadata"]["labels"] == {"true": "x"}


def test_a_yaml_date_is_the_string_kubectl_sends() -> None:
    import datetime

    obj = deployment()
    obj["metadata"]["labels"] = {"since": datetime.date(2024, 1, 1)}
    assert decode(obj).obj["metadata"]["labels"] == {"since": "2024-01-01"}


def test_unknown_field_strict_warn_ignore(plane: ControlPlane) -> None:
    obj = deployment(bogus=1)
    obj["metadata"]["name"] = "unknown"
    assert refusal(plane, obj) == PREFIX + 'strict decoding error: unknown field "spec.bogus"'
    assert plane.store.get("Deployment", "default", "unknown") is None
    created = plane.create(obj, field_validation="Warn")
    assert plane.last_warnings[:1] == ['unknown field "spec.bogus"']
    assert "bogus" not in created["spec"]
    plane.delete("deploy", "unknown")
    plane.create(obj, field_validation="Ignore")
    assert not any("bogus" in w for w in plane.last_warnings)
    plane.delete("deploy", "unknown")


def test_unknown_field_paths_carry_indexes_and_come_sorted() -> None:
    obj = deployment(zzz=1)
    obj["spec"]["template"]["spec"]["containers"][0]["bogus"] = 1
    warnings = decode(obj, "Warn").warnings
    assert warnings == [
        'unknown field "spec.template.spec.containers[0].bogus"',
        'unknown field "spec.zzz"',
    ]


def test_a_type_error_wins_over_unknown_fields(plane: ControlPlane) -> None:
    assert "cannot unmarshal string" in refusal(plane, deployment(replicas="3", bogus=1))


def test_integral_float_is_an_int() -> None:
    assert decode(deployment(replicas=3.0)).obj["spec"]["replicas"] == 3


def test_apply_decodes_too(plane: ControlPlane) -> None:
    with pytest.raises(KubenetError, match=r"DeploymentSpec\.spec\.replicas of type int32"):
        plane.apply([deployment(replicas="3")])


JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
    st.just([]),
    st.just({}),
    st.just(["x"]),
)


def paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(obj, dict):
        for key, value in obj.items():
            found += paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            found += paths(value, (*prefix, index))
    return found


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_one_field_of_another_type_is_accepted_well_typed_or_refused(
    plane: ControlPlane, data: st.DataObject
) -> None:
    obj = deployment()
    obj["metadata"]["name"] = "prop"
    path = data.draw(st.sampled_from([p for p in paths(obj) if p[:2] != ("metadata", "name")]))
    target: Any = obj
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = data.draw(JSON_VALUES)
    before = copy.deepcopy(plane.store.list("Deployment", "default"))
    try:
        created = plane.create(obj)
    except KubenetError:
        assert plane.store.list("Deployment", "default") == before
        return
    checker = kind_checker("Deployment")
    assert checker is not None
    walk = Walk(ordered=True)
    checker.decode(created, walk)
    assert walk.unknown == []
    plane.delete("deploy", "prop", grace_period=0)


def test_the_shipped_schemas_are_what_refresh_builds() -> None:
    # schemas.json is generated from kubernetes-validate's v1.33.0 definitions; a hand edit or a
    # new served kind without `python -m kubenet_nb.api.decode.refresh` fails here.
    assert json.loads(refresh.SCHEMAS_PATH.read_text()) == refresh.build()


def test_lone_surrogates_decode_as_go_reads_their_json_escapes() -> None:
    # A Python client sends "\ud800" as a JSON escape; encoding/json's unquote turns an unpaired
    # surrogate into U+FFFD and pairs a valid pair (golang/go src/encoding/json/decode.go, go1.24).
    assert go_string("a\ud800b") == "a\ufffdb"
    assert go_string("\ud83d\ude00") == "\U0001f600"
    annotated = {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": "e", "annotations": {"note": "x\udfff"}},
    }
    [stored] = ControlPlane(workers=1, system_pods=False).apply([annotated])
    assert stored["metadata"]["annotations"]["note"] == "x\ufffd"
