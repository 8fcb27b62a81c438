"""kubectl's JSONPath dialect, against client-go's own test tables.

Source: kubernetes/client-go util/jsonpath/jsonpath_test.go and parser_test.go @ v0.33.0. Go
structs become maps here (whose JSON keys Go sorts), so the cases whose expected text depends on
a struct's field order are left out; everything else is reproduced as upstream states it.
"""

from __future__ import annotations

import json

import pytest

from kubenet_nb.kubectl.jsonpath import JSONPath, JSONPathError, JSONPathSyntaxError, relaxed

TYPES = {
    "bools": [True, False, True, False],
    "integers": [1, 2, 3, 4],
    "floats": [1.0, 2.2, 3.3, 4.0],
    "strings": ["one", "two", "three", "four"],
    "interfaces": [True, "one", 1, 1.1],
    "maps": [
        {"name": "one", "value": 1},
        {"name": "two", "value": 2.02},
        {"name": "three", "value": 3.03},
        {"name": "four", "value": 4.04},
    ],
}

STORE = {
    "Name": "jsonpath",
    "Book": [
        {"Category": "reference", "Author": "Nigel Rees", "Title": "Sayings", "Price": 8.95},
        {"Category": "fiction", "Author": "Evelyn Waugh", "Title": "Sword", "Price": 12.99},
        {"Category": "fiction", "Author": "Herman Melville", "Title": "Moby Dick", "Price": 8.99},
    ],
    "Bicycle": [
        {"Color": "red", "Price": 19.95, "IsNew": True},
        {"Color": "green", "Price": 20.01, "IsNew": False},
    ],
    "Labels": {"engieer": 10, "web/html": 15, "k8s-app": 20},
    "Employees": {"jason": "manager", "dan": "clerk"},
}

POINTS = json.loads(
    """[{"id": "i1", "x":4, "y":-5}, {"id": "i2", "x":-2, "y":-5, "z":1},
    {"id": "i3", "x":  8, "y":  3 }, {"id": "i4", "x": -6, "y": -1 },
    {"id": "i5", "x":  0, "y":  2, "z": 1 }, {"id": "i6", "x":  1, "y":  4 },
    {"id": "i7", "x":  null, "y":  4 }]"""
)

NODES = {
    "kind": "List",
    "items": [
        {
            "kind": "None",
            "metadata": {"name": "127.0.0.1", "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
            "status": {
                "capacity": {"cpu": "4"},
                "ready": True,
                "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}],
            },
        },
        {
            "kind": "None",
            "metadata": {"name": "127.0.0.2", "labels": {"kubernetes.io/hostname": "127.0.0.2"}},
            "status": {
                "capacity": {"cpu": "8"},
                "ready": False,
                "addresses": [
                    {"type": "LegacyHostIP", "address": "127.0.0.2"},
                    {"type": "another", "address": "127.0.0.3"},
                ],
            },
        },
    ],
    "users": [
        {"name": "myself", "user": {}},
        {"name": "e2e", "user": {"username": "admin", "password": "secret"}},
    ],
}

PODS = {
    "items": [
        {
            "metadata": {"name": "pod1"},
            "spec": {
                "containers": [
                    {"name": "foo", "another": [{"name": "value1"}, {"name": "value2"}]},
                    {"name": "bar", "another": [{"name": "value1"}, {"name": "value2"}]},
                ]
            },
        },
        {
            "metadata": {"name": "pod2"},
            "spec": {
                "containers": [{"name": "baz", "another": [{"name": "value1"}, {"name": "value2"}]}]
            },
        },
    ]
}

CONTAINERS = {"spec": {"containers": [{"name": f"fake{i}"} for i in range(4)]}}
SIX = {"spec": {"containers": [{"name": f"fake{i}"} for i in range(6)]}}

ANNOTATED = {
    "kind": "List",
    "items": [
        {"kind": "Pod", "metadata": {"name": "pod1", "annotations": {"color": "blue"}}},
        {"kind": "Pod", "metadata": {"name": "pod2"}},
        {"kind": "Pod", "metadata": {"name": "pod3", "annotations": {"color": "green"}}},
        {"kind": "Pod", "metadata": {"name": "pod4", "annotations": {"color": "blue"}}},
    ],
}

RUNNING = {
    "kind": "List",
    "items": [
        *(
            {"kind": "Pod", "metadata": {"name": f"pod{i}"}, "status": {"phase": "Running"}}
            for i in (1, 2, 3)
        ),
        {"resourceVersion": ""},
    ],
}

# (template, input, expected text); allowMissingKeys false unless listed in MISSING_OK.
CASES = [
    ("{ .bools }", TYPES, "[true,false,true,false]"),
    ("{ .bools[0] }", TYPES, "true"),
    ("{ .bools[-1] }", TYPES, "false"),
    ("{ .bools[0:2] }", TYPES, "true false"),
    ("{ .bools[:2] }", TYPES, "true false"),
    ("{ .bools[:4:2] }", TYPES, "true true"),
    ("{ .integers }", TYPES, "[1,2,3,4]"),
    ("{ .integers[0] }", TYPES, "1"),
    ("{ .integers[-2] }", TYPES, "3"),
    ("{ .integers[0:2] }", TYPES, "1 2"),
    ("{ .integers[:4:2] }", TYPES, "1 3"),
    ("{ .floats }", TYPES, "[1,2.2,3.3,4]"),
    ("{ .floats[0] }", TYPES, "1"),
    ("{ .floats[-2] }", TYPES, "3.3"),
    ("{ .floats[:2] }", TYPES, "1 2.2"),
    ("{ .floats[:4:2] }", TYPES, "1 3.3"),
    ("{ .strings }", TYPES, '["one","two","three","four"]'),
    ("{ .strings[-2] }", TYPES, "three"),
    ("{ .strings[:4:2] }", TYPES, "one three"),
    ("{ .interfaces }", TYPES, '[true,"one",1,1.1]'),
    ("{ .interfaces[0:2] }", TYPES, "true one"),
    ("{ .interfaces[:4:2] }", TYPES, "true 1"),
    ("{ .maps[0] }", TYPES, '{"name":"one","value":1}'),
    ("{ .maps[-2] }", TYPES, '{"name":"three","value":3.03}'),
    ("{ .maps[::2] }", TYPES, '{"name":"one","value":1} {"name":"three","value":3.03}'),
    ("{ .maps[1::2] }", TYPES, '{"name":"two","value":2.02} {"name":"four","value":4.04}'),
    ("hello jsonpath", None, "hello jsonpath"),
    ("{..}", [1, 2, 3], "[1,2,3]"),
    ("{[?(@<5)]}", [2, 6, 3, 7], "2 3"),
    ('{"{"}', None, "{"),
    ("{[1,3,4]}", [0, 1, 2, 3, 4], "1 3 4"),
    ("{[0:2]}", ["Monday", "Tudesday"], "Monday Tudesday"),
    ("hello {.Name}", STORE, "hello jsonpath"),
    ("{$.Labels.web/html}", STORE, "15"),
    ("{$.Employees.jason}", STORE, "manager"),
    ("{.Labels.k8s-app}", STORE, "20"),
    ("{.Bicycle[*].Color}", STORE, "red green"),
    ("{.Book[*].Author}", STORE, "Nigel Rees Evelyn Waugh Herman Melville"),
    (
        '{range .Bicycle[*]}{ "{" }{ @.* }{ "} " }{end}',
        STORE,
        "{red 19.95 true} {green 20.01 false} ",
    ),
    ("{..Price}", STORE, "8.95 12.99 8.99 19.95 20.01"),
    ("{...Price}", STORE, "8.95 12.99 8.99 19.95 20.01"),
    ("{[?(@.z)].id}", POINTS, "i2 i5"),
    ("{[0]['id']}", POINTS, "i1"),
    ("{[-1]['x']}", POINTS, "null"),
    ("{range .items[*]}{.metadata.name}, {end}{.kind}", NODES, "127.0.0.1, 127.0.0.2, List"),
    ('{range .items[*]}{.metadata.name}{"\\t"}{end}', NODES, "127.0.0.1\t127.0.0.2\t"),
    ("{.items[*].status.addresses[*].address}", NODES, "127.0.0.1 127.0.0.2 127.0.0.3"),
    (
        "{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}",
        NODES,
        "127.0.0.1, 127.0.0.2, 127.0.0.3, ",
    ),
    ("{.items[*].metadata.name}", NODES, "127.0.0.1 127.0.0.2"),
    (
        "{.items[*]['metadata.name', 'status.capacity']}",
        NODES,
        '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}',
    ),
    (
        "{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}",
        NODES,
        '[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] ',
    ),
    ('{.users[?(@.name=="e2e")].user.password}', NODES, "secret"),
    ("{.items[0].metadata.labels.kubernetes\\.io/hostname}", NODES, "127.0.0.1"),
    (
        '{.items[?(@.metadata.labels.kubernetes\\.io/hostname=="127.0.0.1")].kind}',
        NODES,
        "None",
    ),
    ("{.items[?(@..ready==true)].metadata.name}", NODES, "127.0.0.1"),
    (
        '{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}'
        '{"+"}{end}',
        PODS,
        "pod1:foo,bar,+pod2:baz,+",
    ),
    (
        '{range .items[*]}{.metadata.name}{"~"}{range @.spec.containers[*]}{.name}{":"}'
        '{range @.another[*]}{.name}{","}{end}{"+"}{end}{"#"}{end}',
        PODS,
        "pod1~foo:value1,value2,+bar:value1,value2,+#pod2~baz:value1,value2,+#",
    ),
    (
        '{range .items[*]}{.metadata.name}{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}'
        '{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\\n"}{end}',
        PODS,
        "pod1\tfoo bar \tfoo bar \npod2\tbaz \tbaz \n",
    ),
    ("{.spec.containers[0].name}", CONTAINERS, "fake0"),
    ("{.spec.containers[0:0].name}", CONTAINERS, ""),
    ("{.spec.containers[0:-1].name}", CONTAINERS, "fake0 fake1 fake2"),
    ("{.spec.containers[-1].name}", CONTAINERS, "fake3"),
    ("{.spec.containers[-1:].name}", CONTAINERS, "fake3"),
    ("{.spec.containers[-2:].name}", CONTAINERS, "fake2 fake3"),
    ("{.spec.containers[-4].name}", CONTAINERS, "fake0"),
    ("{.spec.containers[-4:].name}", CONTAINERS, "fake0 fake1 fake2 fake3"),
    ("{.spec.containers[5:5].name}", CONTAINERS, ""),
    ("{.spec.containers[-5:-5].name}", CONTAINERS, ""),
    ("{.spec.containers[0:].name}", SIX, "fake0 fake1 fake2 fake3 fake4 fake5"),
    ("{.spec.containers[0:6:].name}", SIX, "fake0 fake1 fake2 fake3 fake4 fake5"),
    ("{.spec.containers[1:4:2].name}", SIX, "fake1 fake3"),
    ("{.spec.containers[1:4:4].name}", SIX, "fake1"),
    ("{.spec.containers[0:6:5].name}", SIX, "fake0 fake5"),
    ("{.spec.containers[0:6:6].name}", SIX, "fake0"),
]

MISSING_OK = [
    ("{.hello}", STORE, ""),
    ("before-{.hello}after", STORE, "before-after"),
    ("{range .items[*]}{.metadata.name}{end}", {"items": []}, ""),
    (
        '{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}'
        '{"+"}{end}',
        {"items": []},
        "",
    ),
    ('{.items[?(@.metadata.annotations.color=="blue")].metadata.name}', ANNOTATED, "pod1 pod4"),
    (
        '{range .items[?(.status.phase=="Running")]}{.metadata.name}{" is Running\\n"}{end}',
        RUNNING,
        "pod1 is Running\npod2 is Running\npod3 is Running\n",
    ),
]


@pytest.mark.parametrize(("template", "data", "expected"), CASES)
def test_upstream_table(template: str, data: object, expected: str) -> None:
    assert JSONPath(template).execute(data) == expected


@pytest.mark.parametrize(("template", "data", "expected"), MISSING_OK)
def test_upstream_table_allowing_missing_keys(template: str, data: object, expected: str) -> None:
    assert JSONPath(template, allow_missing_keys=True).execute(data) == expected


def test_recursive_names_in_any_order() -> None:
    # upstream compares `{..name}` sorted: map iteration order is random in Go.
    found = JSONPath("{..name}").execute(NODES).split()
    assert sorted(found) == sorted("127.0.0.1 127.0.0.2 myself e2e".split())


# testFailJSONPath: the exact execution errors.
@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{hello}", "unrecognized identifier hello"),
        ("{.hello}", "hello is not found"),
        ("{.Labels[0]}", "map[string]interface {} is not array or slice"),
        ("{.Book[?(@.Price<>10)]}", "unrecognized filter operator <>"),
        ("{range .Labels.*}{@}{end}{end}", "not in range, nothing to end"),
    ],
)
def test_upstream_execution_errors(template: str, message: str) -> None:
    with pytest.raises(JSONPathError) as error:
        JSONPath(template).execute(STORE)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("template", "data"),
    [
        ('{.items[?(@.metadata.annotations.color=="blue")].metadata.name}', ANNOTATED),
        ("{.spec.containers[-1:0].name}", CONTAINERS),
        ("{.spec.containers[-5].name}", CONTAINERS),
        ("{.spec.containers[3:1].name}", CONTAINERS),
        ("{.spec.containers[-1:-2].name}", CONTAINERS),
        ("{.spec.containers[0:6:0].name}", SIX),
        ("{.spec.containers[0:6:-1].name}", SIX),
    ],
)
def test_upstream_execution_failures(template: str, data: object) -> None:
    with pytest.raises(JSONPathError):
        JSONPath(template).execute(data)


def test_index_errors_words() -> None:
    with pytest.raises(JSONPathError, match=r"^array index out of bounds: index 4, length 4$"):
        JSONPath("{.spec.containers[4]}").execute(CONTAINERS)
    with pytest.raises(JSONPathError, match=r"^starting index 3 is greater than ending index 1$"):
        JSONPath("{.spec.containers[3:1]}").execute(CONTAINERS)
    with pytest.raises(JSONPathError, match=r"^step must be > 0$"):
        JSONPath("{.spec.containers[0:2:0]}").execute(CONTAINERS)


def test_comparisons_only_within_a_kind() -> None:
    # client-go third_party/forked/golang/template funcs.go @ v0.33.0: errBadComparison.
    with pytest.raises(JSONPathError, match=r"^incompatible types for comparison$"):
        JSONPath("{[?(@.x>1.5)].id}").execute(POINTS)
    with pytest.raises(JSONPathError, match=r"^invalid type for comparison$"):
        JSONPath("{[?(@.x<1)].id}").execute(POINTS)  # i7's x is null
    assert JSONPath("{[?(@.x>=4)].id}").execute(POINTS[:6]) == "i1 i3"


def test_parse_errors() -> None:
    # parser_test.go @ v0.33.0 TestFailParser's table first.
    for template, message in [
        ("{.hello", "unclosed action"),
        ("{*}", "unrecognized character in action: U+002A '*'"),
        ("{+12.3.0}", "cannot parse number +12.3.0"),
        ("{[1}", "unterminated array"),
        ("{[?(.price]}", "unterminated filter"),
        ("{........}", "invalid multiple recursive descent"),
        # parser.go's other refusals
        ("{.hello\n}", "unclosed action"),
        ("{.items[*}", "unterminated array"),
        ('{.items[?(@.a=="x"}', "unterminated filter"),
        ("{.a[?(@.b)}", "unclosed array expect ]"),
        ('{"hello}', "unterminated quoted string"),
        ("{.a[-]}", "array index - is not a number"),
        ("{.a[x]}", "invalid array index x"),
        ("{........name}", "invalid multiple recursive descent"),
        ("{!}", "unrecognized character in action: U+0021 '!'"),
        ("{1.2.3}", "cannot parse number 1.2.3"),
        ("{'\\z'}", "unquote string '\\z' error invalid syntax"),
    ]:
        with pytest.raises(JSONPathSyntaxError) as error:
            JSONPath(template)
        assert str(error.value) == message, template


def test_json_output_wraps_each_group() -> None:
    # `-o jsonpath-as-json`: EnableJSONOutput, one indented array per top-level node.
    path = JSONPath("{.items[*].metadata.name}{.kind}")
    path.output_json = True
    assert path.execute(NODES) == '[\n    "127.0.0.1",\n    "127.0.0.2"\n]\n[\n    "List"\n]\n'


def test_relaxed_expression() -> None:
    # kubectl pkg/cmd/get/customcolumn_test.go @ v0.33.0 TestMassageJSONPath.
    for given, wanted in [
        ("foo", "{.foo}"),
        ("{foo}", "{.foo}"),
        (".foo", "{.foo}"),
        ("{.foo}", "{.foo}"),
        ("", ""),
    ]:
        assert relaxed(given) == wanted
    for bad in ("{foo", "{{foo}}", "{foo}}", "{{foo}"):
        with pytest.raises(ValueError, match=r"^unexpected path string"):
            relaxed(bad)
