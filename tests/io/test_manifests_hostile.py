"""Hostile manifests meet kubectl's reader: go-yaml's limits and words, never a Python error.

Sources: kubernetes-sigs/yaml goyaml.v2/{decode.go,scannerc.go,readerc.go,limit_test.go,
decode_test.go} @ v1.4.0 (the sigs.k8s.io/yaml kubectl v1.33 vendors); kubernetes
staging/src/k8s.io/cli-runtime/pkg/resource/visitor.go FileVisitor (BOMOverride over a UTF-8
decoder); k8s.io/apimachinery/pkg/util/yaml/decoder.go YAMLReader; k8s.io/apiserver
DefaultMaxRequestSizeBytes and limitedReadBody (`Request entity too large: limit is 3145728`).
"""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kubenet_nb import Cluster, KubenetError
from kubenet_nb.io.go_yaml import GoYAMLError, allowed_alias_ratio, load_document
from kubenet_nb.io.manifests import (
    MAX_BYTES,
    MAX_READ_BYTES,
    decode_as_kubectl,
    load_manifests,
    request_size,
    split_documents,
)

PREFIX = "error: error parsing STDIN: error converting YAML to JSON: "
SERVICE = "apiVersion: v1\nkind: Service\nmetadata: {name: %s}\nspec: {ports: [{port: 80}]}\n"


def _bomb(levels: int = 9, width: int = 8) -> str:
    """The billion-laughs shape: each level an anchored list of `width` aliases of the last."""
    lines = ["apiVersion: v1", "kind: Service", "metadata: {name: bomb}", "spec:"]
    lines.append(f"  a0: &a0 [{', '.join(['lol'] * width)}]")
    for i in range(1, levels):
        lines.append(f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_fast_and_small() -> None:
    bomb = _bomb()
    assert len(bomb) < 533
    assert bomb.count("*") == 64  # under the old cap of 100 aliases
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(KubenetError) as refused:
        load_manifests(bomb)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # goyaml.v2/decode.go @ v1.4.0: failf("document contains excessive aliasing").
    assert str(refused.value) == PREFIX + "yaml: document contains excessive aliasing"
    assert elapsed < 0.5
    assert peak < 5 * 1024 * 1024


def test_a_seven_level_bomb_is_never_stored() -> None:
    c = Cluster()
    with pytest.raises(KubenetError, match="excessive aliasing"):
        c.apply(_bomb(levels=7, width=10))
    assert [s["metadata"]["name"] for s in c.list("services")] == ["kubernetes"]


def test_alias_ratio_is_decode_gos() -> None:
    # decode.go allowedAliasRatio: 99% up to 400,000 decodes, 10% from 4,000,000, linear between.
    assert allowed_alias_ratio(400_000) == 0.99
    assert allowed_alias_ratio(4_000_000) == 0.10
    assert allowed_alias_ratio(2_200_000) == pytest.approx(0.545)


def test_ordinary_anchors_and_aliases_still_work() -> None:
    # 150 aliases of a small map: over the old cap of 100, well under go-yaml's ratio.
    text = "base: &b {x: 1}\n" + "".join(f"k{i}: *b\n" for i in range(150))
    value = load_document(text)
    assert value["k149"] == {"x": 1}
    assert value["k0"] is not value["k1"]  # each alias decoded anew, as Go decodes it
    merged = load_document("d: &d {a: 1, b: 2}\ne: &e {b: 3, c: 4}\nm: {<<: [*d, *e], c: 5}\n")
    assert merged["m"] == {"a": 1, "b": 2, "c": 5}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # goyaml.v2/limit_test.go @ v1.4.0
        ("[" * 10001, "yaml: exceeded max depth of 10000"),
        ("x: " + "{" * 10001, "yaml: exceeded max depth of 10000"),
        ("- " * 10001, "yaml: exceeded max depth of 10000"),
        ("a:\n" + "- " * 10001, "yaml: line 2: exceeded max depth of 10000"),
        # goyaml.v2/decode_test.go @ v1.4.0 unmarshalErrorTests
        ("v: [A,", "yaml: line 1: did not find expected node content"),
        ("v:\n- [A,", "yaml: line 2: did not find expected node content"),
        ("a:\n- b: *,", "yaml: line 2: did not find expected alphabetic or numeric character"),
        ("a: *b\n", "yaml: unknown anchor 'b' referenced"),
        ("a: &a\n  b: *a\n", "yaml: anchor 'a' value contains itself"),
        ("value: -", "yaml: block sequence entries are not allowed in this context"),
        ("b: *a\na: &a {c: 1}", "yaml: unknown anchor 'a' referenced"),
        (
            "a: &x null\n<<:\n- *x\nb: &x {}\n",
            "yaml: map merge requires map or sequence of maps as the value",
        ),
    ],
)
def test_go_yaml_refusals_in_its_words(text: str, message: str) -> None:
    with pytest.raises(GoYAMLError) as refused:
        load_document(text)
    assert str(refused.value) == message


def test_nesting_up_to_the_limit_is_read_without_recursion() -> None:
    assert load_document("- " * 10000 + "1") is not None
    deep = "[" * 2000 + "]" * 2000
    assert len(load_manifests(SERVICE % "deep" + f"extra: {deep}\n")) == 1
    c = Cluster()
    with pytest.raises(KubenetError):  # refused by the API server, not by a RecursionError
        c.apply(SERVICE % "deep" + f"extra: {deep}\n")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # goyaml.v2/readerc.go @ v1.4.0 yaml_parser_update_buffer
        (b"a: \xff\n", "yaml: invalid leading UTF-8 octet"),
        (b"a: \x80\n", "yaml: invalid leading UTF-8 octet"),
        (b"a: \xe2\x82", "yaml: incomplete UTF-8 octet sequence"),
        (b"a: \xe2\x28\xa1\n", "yaml: invalid trailing UTF-8 octet"),
        (b"a: \xc0\x80\n", "yaml: invalid length of a UTF-8 sequence"),
        (b"a: \xed\xa0\x80\n", "yaml: invalid Unicode character"),
        (b"a: \x00\n", "yaml: control characters are not allowed"),
        (b"a: \x7f\n", "yaml: control characters are not allowed"),
        (b"a: \xef\xbf\xbe\n", "yaml: control characters are not allowed"),
        (b"\xff\xfea\x00:", "yaml: incomplete UTF-16 character"),
        (b"\xff\xfe\x00\xdc", "yaml: unexpected low surrogate area"),
        (b"\xff\xfe\x00\xd8a\x00", "yaml: expected low surrogate area"),
        (b"\xff\xfe\x00\xd8", "yaml: incomplete UTF-16 surrogate pair"),
    ],
)
def test_raw_bytes_meet_go_yamls_reader(data: bytes, message: str) -> None:
    with pytest.raises(KubenetError) as refused:
        load_manifests(data)
    assert str(refused.value) == PREFIX + message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("apiVersion: v1\x00", "yaml: control characters are not allowed"),
        ("a: \x1b[31m", "yaml: control characters are not allowed"),
        ("a: \ud800", "yaml: invalid Unicode character"),
    ],
)
def test_text_meets_go_yamls_reader(text: str, message: str) -> None:
    with pytest.raises(KubenetError) as refused:
        Cluster().apply(text)
    assert str(refused.value) == PREFIX + message


def test_bytes_are_read_as_kubectls_file_visitor_reads_them() -> None:
    # BOMOverride(UTF8.NewDecoder()): UTF-16 with a BOM is transcoded, bad UTF-8 becomes U+FFFD.
    c = Cluster()
    [svc] = c.apply("\ufeff".encode("utf-16-le") + (SERVICE % "utf16").encode("utf-16-le"))
    assert svc["metadata"]["name"] == "utf16"
    assert decode_as_kubectl(b"\xef\xbb\xbfa: \xff\xed\xa0\x80") == "a: " + "\ufffd" * 4
    with pytest.raises(KubenetError, match="Invalid value"):
        c.apply(
            b"apiVersion: v1\nkind: Service\nmetadata: {name: \xff}\nspec: {ports: [{port: 80}]}\n"
        )


def test_proc_and_device_files_are_refused_in_kubectls_words() -> None:
    c = Cluster()
    with pytest.raises(KubenetError) as environ:
        c.kubectl("apply -f /proc/self/environ")
    assert str(environ.value) == (
        "error: error parsing /proc/self/environ: error converting YAML to JSON: "
        "yaml: control characters are not allowed"
    )
    for device in ("/proc/self/pagemap", "/dev/zero"):
        if not Path(device).exists():
            continue
        started = time.perf_counter()
        with pytest.raises(KubenetError) as refused:
            c.kubectl(f"apply -f {device}")
        assert time.perf_counter() - started < 1
        assert str(refused.value) == (
            f"error: error reading {device}: input is larger than {MAX_READ_BYTES} bytes"
        )


def test_the_request_limit_is_per_object_not_per_file() -> None:
    # One alias-expanded object of ~3.6 MiB in a file of 600 kB: kubectl sends each object as
    # its own request; the API server refuses that one (413) and the others are created.
    chunk = "x" * (600 * 1024)
    big = (SERVICE % "big") + f"blob: &s {chunk}\nmore: [*s, *s, *s, *s, *s]\n"
    text = SERVICE % "small" + "---\n" + big + "---\n" + SERVICE % "after"
    assert len(text) < MAX_BYTES
    c = Cluster()
    assert c.kubectl("apply -f -\n" + text) == (
        "service/small created\nservice/after created\n"
        'Error from server (RequestEntityTooLarge): error when creating "STDIN": '
        f"Request entity too large: limit is {MAX_BYTES}"
    )
    names = {s["metadata"]["name"] for s in c.list("services")}
    assert {"small", "after"} <= names
    assert "big" not in names
    assert request_size({"a": chunk}) == len(json.dumps({"a": chunk}, separators=(",", ":")))


def test_yaml_readers_document_separator() -> None:
    # apimachinery util/yaml YAMLReader.Read: only spaces and a comment may follow `---`.
    assert list(split_documents("a: 1\r\n--- # next\nb: 2")) == ["a: 1\n", "b: 2"]
    with pytest.raises(KubenetError) as refused:
        load_manifests("a: 1\n--- b: 2\n")
    assert str(refused.value) == "error: error parsing STDIN: invalid Yaml document separator: b: 2"


def _result_or_refusal(data: str | bytes) -> None:
    try:
        objects = load_manifests(data)
    except KubenetError:
        return
    assert all(isinstance(obj, dict) for obj in objects)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_give_objects_or_a_refusal(data: bytes) -> None:
    _result_or_refusal(data)
    _result_or_refusal(decode_as_kubectl(data))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "a",
                ":",
                " ",
                "\n",
                "- ",
                "[",
                "]",
                "{",
                "}",
                ",",
                "&x ",
                "*x",
                "<<: ",
                "---\n",
                "!!set ",
                "!!binary ",
                "'",
                '"',
                "#",
                "|",
                ">",
                "\t",
                "\x00",
                "\ud800",
                "1",
                "~",
            ]
        )
        | st.text(max_size=5),
        max_size=60,
    ).map("".join)
)
def test_random_yamlish_text_gives_objects_or_a_refusal(text: str) -> None:
    _result_or_refusal(text)
