"""Plain scalars as kubectl's reader resolves them and YAMLToJSON writes them.

Cases reproduce kubernetes-sigs/yaml goyaml.v2/decode_test.go `unmarshalTests` (commit
53ce8bbaa29cd2c835bc0a96e6a849774442d67b) where the target is interface{} (and, for typed targets,
the value go-yaml resolved), resolve.go's table (commit 742f5e6f06b9847d2d7e4efa2fe6587f64897ad0)
and yaml.go convertToJSONableObject (commit 1e5b47d3af7edf8cbfd79af09571a7c3dbb83c3b); the JSON
value is what json.Marshal writes and a JSON reader reads back (an integral float64 is `1000`).
"""

from __future__ import annotations

import pytest

from kubenet_nb.io.go_yaml import GoYAMLError, YAMLToJSONError, load_document

PLAIN = [
    # decode_test.go unmarshalTests, into interface{}
    ("hi", "hi"),
    ("true", True),
    ("10", 10),
    ("0b10", 2),
    ("0xA", 10),
    ("4294967296", 4294967296),
    ("0.1", 0.1),
    (".1", 0.1),
    ("-10", -10),
    ("-.1", -0.1),
    ("6.8523e+5", 685230),
    ("685.230_15e+03", 685230.15),
    ("685_230.15", 685230.15),
    ("y", True),
    ("NO", False),
    ("True", True),
    ("on", True),
    ("685230", 685230),
    ("+685_230", 685230),
    ("02472256", 685230),
    ("0x_0A_74_AE", 685230),
    ("0b1010_0111_0100_1010_1110", 685230),
    ("-0b101010", -42),
    ("-0b1000000000000000000000000000000000000000000000000000000000000000", -(2**63)),
    ("0b111111111111111111111111111111111111111111111111111111111111111", 2**63 - 1),
    ("9223372036854775807", 2**63 - 1),
    ("-9223372036854775808", -(2**63)),
    ("9223372036854775808", 2**63),  # uint64
    ("18446744073709551615", 2**64 - 1),
    ("0b1111111111111111111111111111111111111111111111111111111111111111", 2**64 - 1),
    ("18446744073709551616", 2**64),  # past uint64: float64 1.8446744073709552e19, no fraction
    ("3.40282346638528859811704183484516925440e+38", 3.4028234663852886e38),
    ("4.940656458412465441765687928682213723651e-324", 5e-324),
    ("", None),
    ("~", None),
    ("null", None),
    ("-b_c", "-b_c"),
    ("+b_c", "+b_c"),
    ("50cent_of_dollar", "50cent_of_dollar"),
    ("https://github.com/go-yaml/yaml", "https://github.com/go-yaml/yaml"),
    ("3s", "3s"),
    ("<foo>", "<foo>"),
    ("1:1", "1:1"),  # base 60 is unsupported
    ("1.2.3.4", "1.2.3.4"),
    ("123456e1", 1234560),
    ("123456E1", 1234560),
    # timestamps into interface{}: their text (decode.go), whatever the layout
    ("2015-01-01", "2015-01-01"),
    ("2015-02-24T18:19:39.12Z", "2015-02-24T18:19:39.12Z"),
    ("2015-2-3T3:4:5Z", "2015-2-3T3:4:5Z"),
    ("2015-02-24t18:19:39Z", "2015-02-24t18:19:39Z"),
    ("2015-02-24 18:19:39", "2015-02-24 18:19:39"),
    ("2001-12-14 21:59:43.10 -5", "2001-12-14 21:59:43.10 -5"),
    # resolve.go's table and number rules, where PyYAML differed
    ("Y", True),
    ("yes", True),
    ("n", False),
    ("off", False),
    ("OFF", False),
    ("1e3", 1000),
    ("1:20", "1:20"),
    ("190:20:30.15", "190:20:30.15"),
    ("0x1F", 31),
    ("0o17", 15),
    ("017", 15),
    ("08", 8),  # not octal, not an int: the float regexp reads it
    ("0b-101", -5),  # ParseInt(plain[2:], 2, 64) takes a sign
    ("+0x1F", 31),
    ("1__0", 10),
    ("_1", "_1"),
    (".5_0", ".5_0"),
    ("1e400", "1e400"),  # ParseFloat's range error: a string
    ("1e20", 10**20),
    ("1e21", 1e21),
    ("-0.0", 0),
    ("0x10000000000000000", 2**64),  # *big.Int
    ("=", "="),
    ("Null", None),
    ("NULL", None),
    ("nULL", "nULL"),
    ("yEs", "yEs"),
    (".inf_", ".inf_"),
]


@pytest.mark.parametrize(("text", "expected"), PLAIN)
def test_plain_scalar(text: str, expected: object) -> None:
    value = load_document(f"v: {text}\n")["v"]
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("text", [text for text, _ in PLAIN if text])
@pytest.mark.parametrize("quote", ["'", '"'])
def test_quoted_scalars_stay_strings(text: str, quote: str) -> None:
    assert load_document(f"v: {quote}{text}{quote}\n") == {"v": text}


KEYS = [
    ("1.5: a", "1.5"),
    ("1e3: a", "1000"),
    ("1.1234567: a", "1.1234567"),  # FormatFloat(f, 'g', -1, 32)
    ("123456789.0: a", "1.2345679e+08"),
    ("1e6: a", "1e+06"),
    (".inf: a", ".inf"),
    ("-.inf: a", "-.inf"),
    (".nan: a", ".nan"),
    ("true: a", "true"),
    ("off: a", "false"),
    ("10: a", "10"),
    ("0x1F: a", "31"),
    ("2015-01-01: a", "2015-01-01"),
    ("'1': a", "1"),
]


@pytest.mark.parametrize(("text", "key"), KEYS)
def test_keys_are_strings(text: str, key: str) -> None:
    assert load_document(text) == {key: "a"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v: !!float '1.1'", 1.1),
        ("v: !!float 0", 0),
        ("v: !!float -1", -1),
        ("v: !!null ''", None),
        ("%TAG !y! tag:yaml.org,2002:\n---\nv: !y!int '1'", 1),
        ("v: ! test", "test"),
        ("v: ! 12", "12"),
        ("v: !foo 12", "12"),
        ("v: !!str 2015-01-01", "2015-01-01"),
        ('v: !!timestamp "2015-01-01"', "2015-01-01"),
        ("v: !!binary aGVsbG8=", "hello"),
        ("v: !!binary gIGC\n", "\ufffd\ufffd\ufffd"),  # json.Marshal: a bad byte is U+FFFD
    ],
)
def test_explicit_tags(text: str, expected: object) -> None:
    assert load_document(text)["v"] == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("v: !!int x", "yaml: cannot decode !!str `x` as a !!int"),
        ("v: !!int 1.5", "yaml: cannot decode !!float `1.5` as a !!int"),
        ("v: !!bool 1", "yaml: cannot decode !!int `1` as a !!bool"),
        ("v: !!timestamp x", "yaml: cannot decode !!str `x` as a !!timestamp"),
        ("v: !!binary '!'", "yaml: !!binary value contains invalid base64 data"),
        ("v: .nan", "json: unsupported value: NaN"),
        ("a: [1, .inf]\nb: .nan", "json: unsupported value: +Inf"),
        ("v: -.Inf", "json: unsupported value: -Inf"),
        ("~: null key", 'unsupported map key of type: %!s(<nil>), key: <nil>, value: "null key"'),
        (
            "18446744073709551615: 1",
            "unsupported map key of type: uint64, key: 0xffffffffffffffff, value: 1",
        ),
    ],
)
def test_refusals(text: str, message: str) -> None:
    with pytest.raises(GoYAMLError) as caught:
        load_document(text)
    assert str(caught.value) == message
    if not message.startswith("yaml:"):
        assert isinstance(caught.value, YAMLToJSONError)


def test_merge_keys() -> None:
    assert load_document("b: &x {c: 1}\na: {! <<: *x, d: 2}") == {
        "b": {"c": 1},
        "a": {"c": 1, "d": 2},
    }
    assert load_document("b: &x {c: 1}\na: {'<<': *x}") == {"b": {"c": 1}, "a": {"<<": {"c": 1}}}
    assert load_document("v: <<") == {"v": "<<"}
