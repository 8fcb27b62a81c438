"""kubectl's integer flags: pflag's Int (Go int, 64 bits) and Int32, parsed by strconv.ParseInt.

Upstream sources, by repository, path and tag:

- spf13/pflag int.go and int32.go @ v1.0.5: `strconv.ParseInt(s, 0, 64)` and
  `strconv.ParseInt(s, 0, 32)`; flag.go wraps a failed Set as `invalid argument %q for %q
  flag: %v` (the flag spelled `-r, --replicas` when it has a shorthand).
- Go's strconv (atoi.go): base 0 takes `0x`, `0o`, `0b`, a leading `0` (octal) and `_` between
  digits; a *NumError prints `strconv.ParseInt: parsing %q: value out of range` or
  `invalid syntax`, and an overflow stops parsing before any later bad digit.
- kubernetes/kubectl pkg/cmd/create/create_deployment.go @ v0.33.0: `--port` and `-r,
  --replicas` are Int32Var. pkg/cmd/scale/scale.go @ v0.33.0: `--replicas` and
  `--current-replicas` are IntVar (so 2147483648 passes the flag and is sent to the server).
  pkg/cmd/delete/delete_flags.go @ v0.33.0: `--grace-period` is IntVar.

Every expected message below was also checked against the kubectl v1.33.1 binary.
"""

from __future__ import annotations

import re

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubectlError
from kubenet_nb.api.meta import go_quote
from kubenet_nb.api.strconv import parse_int
from kubenet_nb.kubectl.flags import Flag, FlagSet
from kubenet_nb.kubectl.main import run_kubectl


def _refusal(command: str) -> str:
    with pytest.raises(KubectlError) as caught:
        run_kubectl(Cluster().control_plane, command)
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "bits", "value"),
    [
        ("0x10", 32, 16),
        ("010", 32, 8),
        ("0b11", 32, 3),
        ("0o17", 32, 15),
        ("1_000", 32, 1000),
        ("0x_1", 64, 1),
        ("0_1", 64, 1),
        ("-0", 32, 0),
        ("+5", 32, 5),
        ("2147483647", 32, 2147483647),
        ("-2147483648", 32, -2147483648),
        ("9223372036854775807", 64, 9223372036854775807),
    ],
)
def test_go_base_zero_integers(text: str, bits: int, value: int) -> None:
    assert parse_int(text, 0, bits) == value


@pytest.mark.parametrize(
    ("text", "bits", "reason"),
    [
        ("2147483648", 32, "value out of range"),
        ("-2147483649", 32, "value out of range"),
        ("4294967296", 32, "value out of range"),
        ("9223372036854775808", 64, "value out of range"),
        ("99999999999999999999x", 64, "value out of range"),
        ("", 64, "invalid syntax"),
        ("+", 64, "invalid syntax"),
        ("_1", 64, "invalid syntax"),
        ("1__0", 64, "invalid syntax"),
        ("08", 32, "invalid syntax"),
        ("1e3", 32, "invalid syntax"),
        ("\uff11", 32, "invalid syntax"),
    ],
)
def test_go_base_zero_refusals(text: str, bits: int, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_int(text, 0, bits)


def test_int32_flag_out_of_range_is_pflags_error() -> None:
    assert _refusal("create deployment web --image=nginx --replicas=2147483648") == (
        'error: invalid argument "2147483648" for "-r, --replicas" flag: strconv.ParseInt: '
        'parsing "2147483648": value out of range\n'
        "See 'kubectl create deployment --help' for usage."
    )
    assert _refusal("create deployment web --image=nginx --port=-2147483649") == (
        'error: invalid argument "-2147483649" for "--port" flag: strconv.ParseInt: '
        'parsing "-2147483649": value out of range\n'
        "See 'kubectl create deployment --help' for usage."
    )


def test_int_flag_is_64_bits() -> None:
    # scale's --replicas is IntVar: 2147483648 passes pflag; only 2**63 is out of its range.
    assert _refusal("scale deploy x --replicas=9223372036854775808") == (
        'error: invalid argument "9223372036854775808" for "--replicas" flag: strconv.ParseInt: '
        'parsing "9223372036854775808": value out of range\n'
        "See 'kubectl scale --help' for usage."
    )
    flags = FlagSet(Flag("replicas", kind="int", default=-1))
    assert flags.parse(["--replicas=2147483648"]).values["replicas"] == 2147483648


def test_hex_and_octal_replicas_are_accepted_as_kubectl_does() -> None:
    out = run_kubectl(
        Cluster().control_plane,
        "create deployment web --image=nginx -r 0x10 --dry-run=client -o yaml",
    )
    assert "  replicas: 16\n" in out


def test_a_million_replicas_is_sent_as_kubectl_sends_it() -> None:
    # 1000000 is within int32: kubectl builds and prints it; what follows is the cluster's.
    out = run_kubectl(
        Cluster().control_plane,
        "create deployment web --image=nginx --replicas=1000000 --dry-run=client -o yaml",
    )
    assert "  replicas: 1000000\n" in out


def test_values_in_messages_are_go_quoted() -> None:
    flags = FlagSet(Flag("replicas", kind="int"))
    with pytest.raises(KubectlError) as caught:
        flags.parse(['--replicas=ab"c\t\x01é\\'])
    assert str(caught.value) == (
        'error: invalid argument "ab\\"c\\t\\x01é\\\\" for "--replicas" flag: strconv.ParseInt: '
        'parsing "ab\\"c\\t\\x01é\\\\": invalid syntax'
    )
    assert go_quote("\u2028\U0001f600\x7f") == '"\\u2028\U0001f600\\x7f"'


def test_bool_flags_take_only_parsebools_spellings() -> None:
    flags = FlagSet(Flag("now", kind="bool"))
    for text in ("1", "t", "T", "TRUE", "true", "True"):
        assert flags.parse([f"--now={text}"]).values["now"] is True
    with pytest.raises(KubectlError, match=re.escape('ParseBool: parsing "tRuE": invalid syntax')):
        flags.parse(["--now=tRuE"])
