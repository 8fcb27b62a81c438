"""The patch algorithms the API server applies: RFC 7386 merge patch and RFC 6902 JSON patch,
on the RFCs' own examples, and the refusals that reach the user."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kubenet_nb.api.errors import BadRequest
from kubenet_nb.api.patch.json_patch import (
    JSONPatchFailed,
    apply_json_patch,
    apply_merge_patch,
    create_merge_patch,
)

# Source: RFC 7386 Appendix A "Example Test Cases" (original, patch, result).
RFC7386 = [
    ('{"a":"b"}', '{"a":"c"}', '{"a":"c"}'),
    ('{"a":"b"}', '{"b":"c"}', '{"a":"b","b":"c"}'),
    ('{"a":"b"}', '{"a":null}', "{}"),
    ('{"a":"b","b":"c"}', '{"a":null}', '{"b":"c"}'),
    ('{"a":["b"]}', '{"a":"c"}', '{"a":"c"}'),
    ('{"a":"c"}', '{"a":["b"]}', '{"a":["b"]}'),
    ('{"a":{"b":"c"}}', '{"a":{"b":"d","c":null}}', '{"a":{"b":"d"}}'),
    ('{"a":[{"b":"c"}]}', '{"a":[1]}', '{"a":[1]}'),
    ('["a","b"]', '["c","d"]', '["c","d"]'),
    ('{"a":"b"}', '["c"]', '["c"]'),
    ('{"a":"foo"}', "null", "null"),
    ('{"a":"foo"}', '"bar"', '"bar"'),
    ('{"e":null}', '{"a":1}', '{"e":null,"a":1}'),
    ("[1,2]", '{"a":"b","c":null}', '{"a":"b"}'),
    ("{}", '{"a":{"bb":{"ccc":null}}}', '{"a":{"bb":{}}}'),
]


@pytest.mark.parametrize(("original", "patch", "result"), RFC7386)
def test_merge_patch_rfc7386_examples(original: str, patch: str, result: str) -> None:
    assert apply_merge_patch(json.loads(original), json.loads(patch)) == json.loads(result)


def test_create_merge_patch_turns_one_document_into_the_other() -> None:
    before = {"a": 1, "b": {"c": [1], "d": "x"}, "e": {"f": 1}}
    after = {"b": {"c": [2], "d": "x"}, "e": {"f": 1}, "g": None}
    patch = create_merge_patch(before, after)
    assert patch == {"a": None, "b": {"c": [2]}, "g": None}
    assert create_merge_patch(after, after) == {}


# Source: RFC 6902 Appendix A (A.1-A.8, A.10, A.11, A.14, A.16): document, patch, result.
RFC6902 = [
    ('{"foo":"bar"}', '[{"op":"add","path":"/baz","value":"qux"}]', '{"baz":"qux","foo":"bar"}'),
    (
        '{"foo":["bar","baz"]}',
        '[{"op":"add","path":"/foo/1","value":"qux"}]',
        '{"foo":["bar","qux","baz"]}',
    ),
    ('{"baz":"qux","foo":"bar"}', '[{"op":"remove","path":"/baz"}]', '{"foo":"bar"}'),
    ('{"foo":["bar","qux","baz"]}', '[{"op":"remove","path":"/foo/1"}]', '{"foo":["bar","baz"]}'),
    (
        '{"baz":"qux","foo":"bar"}',
        '[{"op":"replace","path":"/baz","value":"boo"}]',
        '{"baz":"boo","foo":"bar"}',
    ),
    (
        '{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}',
        '[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]',
        '{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}',
    ),
    (
        '{"foo":["all","grass","cows","eat"]}',
        '[{"op":"move","from":"/foo/1","path":"/foo/3"}]',
        '{"foo":["all","cows","eat","grass"]}',
    ),
    (
        '{"baz":"qux","foo":["a",2,"c"]}',
        '[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]',
        '{"baz":"qux","foo":["a",2,"c"]}',
    ),
    (
        '{"foo":"bar"}',
        '[{"op":"add","path":"/child","value":{"grandchild":{}}}]',
        '{"foo":"bar","child":{"grandchild":{}}}',
    ),
    (
        '{"foo":"bar"}',
        '[{"op":"add","path":"/baz","value":"qux","xyz":123}]',
        '{"foo":"bar","baz":"qux"}',
    ),
    ('{"/":9,"~1":10}', '[{"op":"test","path":"/~01","value":10}]', '{"/":9,"~1":10}'),
    (
        '{"foo":["bar"]}',
        '[{"op":"add","path":"/foo/-","value":["abc","def"]}]',
        '{"foo":["bar",["abc","def"]]}',
    ),
]


@pytest.mark.parametrize(("document", "patch", "result"), RFC6902)
def test_json_patch_rfc6902_examples(document: str, patch: str, result: str) -> None:
    assert apply_json_patch(json.loads(document), json.loads(patch)) == json.loads(result)


# Source: RFC 6902 A.9 (test fails), A.12 (add to a nonexistent target), A.15 (a string is not
# a number); and operations evanphx/json-patch cannot apply.
@pytest.mark.parametrize(
    ("document", "patch"),
    [
        ('{"baz":"qux"}', '[{"op":"test","path":"/baz","value":"bar"}]'),
        ('{"foo":"bar"}', '[{"op":"add","path":"/baz/bat","value":"qux"}]'),
        ('{"/":9,"~1":10}', '[{"op":"test","path":"/~01","value":"10"}]'),
        ('{"a":1}', '[{"op":"remove","path":"/b"}]'),
        ('{"a":1}', '[{"op":"replace","path":"/b","value":2}]'),
        ('{"a":[1]}', '[{"op":"add","path":"/a/5","value":2}]'),
        ('{"a":1}', '[{"op":"frobnicate","path":"/a"}]'),
        ('{"a":1}', '[{"op":"move","from":"/x","path":"/a"}]'),
    ],
)
def test_json_patch_failures(document: str, patch: str) -> None:
    original: Any = json.loads(document)
    with pytest.raises(JSONPatchFailed):
        apply_json_patch(original, json.loads(patch))
    assert original == json.loads(document)  # nothing applied, not even the first operations


# Source: kubernetes/apiserver pkg/endpoints/handlers/patch.go @ v0.33.0 (applyJSPatch decodes
# the patch with kjson.UnmarshalStrict into []jsonPatchOp, a 400 in encoding/json's words).
@pytest.mark.parametrize(
    ("patch", "message"),
    [
        (
            {"op": "add"},
            "error decoding patch: json: cannot unmarshal object into Go value of type "
            "[]handlers.jsonPatchOp",
        ),
        (
            ["add"],
            "error decoding patch: json: cannot unmarshal string into Go value of type "
            "handlers.jsonPatchOp",
        ),
        (
            [{"op": 1}],
            "error decoding patch: json: cannot unmarshal number into Go struct field "
            "jsonPatchOp.op of type string",
        ),
    ],
)
def test_json_patch_that_does_not_decode(patch: Any, message: str) -> None:
    with pytest.raises(BadRequest) as caught:
        apply_json_patch({"a": 1}, patch)
    assert caught.value.message == message
