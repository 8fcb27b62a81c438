"""Hostile input through kubectl's flags: every value a command line can carry, refused cleanly.

For the verbs a learner types (`run`, `expose`, `scale`, `create deployment|service ...|namespace`,
`label`, `annotate`, `delete`, `get`, `describe`, `cordon`, `drain`, `exec ... -- curl`), each
positional name and each flag value is drawn from hostile strings (empty, blanks, NUL, ESC, RTL
overrides, lone surrogates, markup, DOT and HTML metacharacters, newlines, non-ASCII digits,
5000-digit numbers, 100 kB strings) and from values hostile to that flag (`--replicas=1e3`,
`--port=80,81`, `--labels=a=b=c`, `--overrides={`, `-o jsonpath={` ...). Each line, quoted with
shlex, goes through `Cluster.kubectl` and through the `%kubectl` magic's `run`.

The property: the line prints its result or is refused with a `KubenetError` (the magic prints
kubectl's error on stderr), no other exception escapes, and a refused line leaves the cluster
exactly as it was (tests/cluster/invariants.py's `snapshot`).

The plain tests at the end pin the crashes this fuzzer found, each with upstream's wording.
"""

from __future__ import annotations

import contextlib
import copy
import io
import shlex
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import kubenet_nb
from kubenet_nb import Cluster, KubenetError
from kubenet_nb.face.magic import run as magic_run

# tests/cluster/invariants.py is imported as tests/fuzz/test_hostile_input.py imports it: by its
# directory on sys.path (rootdir-style imports; tests/ has no __init__.py).
_INVARIANTS = str(Path(__file__).resolve().parents[1] / "cluster")
if _INVARIANTS not in sys.path:
    sys.path.insert(0, _INVARIANTS)
from invariants import snapshot as plane_snapshot  # noqa: E402

HOSTILE = [
    "",
    " ",
    " 3",
    "\t\n",
    "\x00",
    "a\x00b",
    "\x1b[31mred\x1b[0m",
    "\u202eevil\u202c",
    "\ud800",
    "<script>alert(1)</script>",
    '"{}<>|&',
    "a\nb",
    "²",
    "٣",
    "-1",
    "0",
    "9" * 5000,
    "x" * 100_000,
    "--",
    "-",
    "=",
]
NUMBERS = ["2147483648", "-1", "0", "0x10", "010", "1_000", "1e3", "", " 3", "+5", "65536", "80"]
NUMBERS += ["9223372036854775808", "-9223372036854775809", "4294967376", "80,81", "http", "²"]
LABELS = ["a=b=c", "=x", "a", "a=b,", ",", "a=b,c=d", "app=web", "a=" + "x" * 100_000, "a!=b"]
SELECTORS = ["app=web", "app in (web", "a!=", "!", "a,,b", "=", "app notin ()", "x" * 1000]
FLAG_VALUES: dict[str, list[str]] = {
    "--replicas": NUMBERS,
    "--current-replicas": NUMBERS,
    "--port": NUMBERS,
    "--target-port": [*NUMBERS, "http", "-http", "a" * 16, "2147483648"],
    "--node-port": NUMBERS,
    "--grace-period": NUMBERS,
    "--chunk-size": NUMBERS,
    "--image": ["nginx", "nginx bad", "nginx\x00", "Nginx", "a" * 300, "nginx:1.27@sha256:x"],
    "--labels": LABELS,
    "--selector": SELECTORS,
    "--pod-selector": SELECTORS,
    "--type": ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName", "bogus", "clusterip"],
    "--protocol": ["TCP", "UDP", "SCTP", "tcp", "bogus", "80/TCP"],
    "--session-affinity": ["None", "ClientIP", "bogus"],
    "--cluster-ip": ["None", "10.96.0.99", "bogus", "10.96.0.1", "::1"],
    "--external-ip": ["1.2.3.4", "bogus", "::1"],
    "--load-balancer-ip": ["1.2.3.4", "bogus"],
    "--name": ["web2", "Bad_Name", "a" * 64],
    "--overrides": ["{", "[]", '{"spec": 1}', '{"apiVersion": 1}', "null", '{"a":'],
    "--env": ["A=b", "=x", "a", "1A=b", "A"],
    "--annotations": ["a=b", "=x", "a", "a=" + "x" * 300_000],
    "--restart": ["Always", "Never", "OnFailure", "bogus", ""],
    "--image-pull-policy": ["Always", "bogus"],
    "--dry-run": ["client", "server", "none", "bogus", "", "true"],
    "-o": ["yaml", "name", "json", "jsonpath={", "jsonpath={.x}", "wide", "bogus", "go-template"],
    "--tcp": ["80", "80:8080", "80:http", "0", "65536", ":", "80:", "80:-1", "80:" + "9" * 5000],
    "--clusterip": ["None", "10.96.0.99", "bogus"],
    "--external-name": ["example.com", "", "bad name", "a" * 300],
    "--cascade": ["background", "orphan", "bogus"],
    "--timeout": ["0s", "1s", "bogus", "-1s", "9" * 5000],
    "--resource-version": ["1", "bogus"],
    "--pod-running-timeout": ["1s", "bogus", "0s", "9" * 400 + "h"],
    "-c": ["web", "bogus"],
    "-n": ["default", "kube-system", "missing", "BAD"],
}
_COMMON = ["-n", "--dry-run", "-o"]
VERBS: dict[str, tuple[list[str], list[str]]] = {
    # verb: (the words before the name, the flags it may get)
    "run": (["run"], ["--image", "--port", "--labels", "--env", "--annotations", "--restart"]),
    "expose": (["expose", "deployment"], ["--port", "--target-port", "--protocol", "--type"]),
    "scale": (["scale", "deployment"], ["--replicas", "--current-replicas", "--selector"]),
    "create deployment": (["create", "deployment"], ["--image", "--replicas", "--port"]),
    "create service clusterip": (["create", "service", "clusterip"], ["--tcp", "--clusterip"]),
    "create service nodeport": (["create", "service", "nodeport"], ["--tcp", "--node-port"]),
    "create service loadbalancer": (["create", "service", "loadbalancer"], ["--tcp"]),
    "create service externalname": (
        ["create", "service", "externalname"],
        ["--external-name", "--tcp"],
    ),
    "create namespace": (["create", "namespace"], []),
    "label": (["label", "pod"], ["--selector", "--overwrite"]),
    "annotate": (["annotate", "pod"], ["--selector", "--overwrite"]),
    "delete": (["delete", "pod"], ["--grace-period", "--selector", "--cascade", "--timeout"]),
    "get": (["get", "pods"], ["--selector"]),
    "describe": (["describe", "pod"], ["--selector"]),
    "cordon": (["cordon"], ["--selector"]),
    "drain": (["drain"], ["--selector", "--grace-period", "--pod-selector", "--chunk-size"]),
    "exec": (["exec"], ["-c", "--pod-running-timeout"]),
}
EXTRA = {
    "run": ["--image-pull-policy", "--overrides", "--expose"],
    "expose": ["--selector", "--labels", "--name", "--session-affinity", "--cluster-ip"],
}
EXTRA["expose"] += ["--external-ip", "--load-balancer-ip", "--overrides"]
NAMES = {
    "expose": "web",
    "scale": "web",
    "label": "client",
    "annotate": "client",
    "delete": "client",
    "get": "client",
    "describe": "client",
    "cordon": "kind-worker",
    "drain": "kind-worker",
    "exec": "client",
}
BOOLS = ("--expose", "--overwrite")


URLS = st.sampled_from(HOSTILE) | st.text(max_size=8)

# -- the cluster every example starts from -------------------------------------------------

_BASE: list[Cluster] = []


def fresh_cluster() -> Cluster:
    """A copy of one settled cluster: deployment and Service `web`, a pod `client` with curl."""
    if not _BASE:
        c = Cluster(seed=11)
        c.kubectl("create deployment web --image=nginx --replicas=2 --port=80")
        c.kubectl("expose deployment web --port=80")
        c.kubectl("run client --image=curlimages/curl:8.11.1 -- sleep infinity")
        _BASE.append(c)
    return copy.deepcopy(_BASE[0])


# -- the lines -----------------------------------------------------------------------------


@st.composite
def command_line(draw: st.DrawFn) -> str:
    """One kubectl command line, its values hostile."""
    verb = draw(st.sampled_from(sorted(VERBS)))
    words, flags = VERBS[verb]
    hostile = st.sampled_from(HOSTILE) | st.text(max_size=8)
    name = draw(st.sampled_from([NAMES.get(verb, "fz")]) | hostile, label="name")
    argv = [*words, name]
    if verb in ("label", "annotate"):
        argv.append(draw(st.sampled_from(["a=b", "a-", "tier=<x>"]) | hostile, label="pair"))
    available = flags + EXTRA.get(verb, []) + _COMMON
    for flag in draw(st.lists(st.sampled_from(available), max_size=4, unique=True), label="flags"):
        if flag in BOOLS:
            argv.append(flag)
            continue
        value = draw(st.sampled_from(FLAG_VALUES.get(flag, ["x"])) | hostile, label=flag)
        argv.append(f"{flag}={value}" if flag.startswith("--") else f"{flag}{value}")
    if verb == "run" and not any(word.startswith("--image") for word in argv):
        argv.append("--image=nginx")
    if verb == "exec":
        argv += ["--", "curl", "-sS", "--max-time", "2", draw(URLS, label="url")]
    return shlex.join(argv)


# -- the doors -----------------------------------------------------------------------------


def _through_magic(c: Cluster, command: str) -> str | None:
    """The magic's run, as test_hostile_input.py calls it: kubectl's error lines, or None."""
    kubenet_nb.use(c)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        magic_run(command)
    errors = [line for line in err.getvalue().splitlines() if not line.startswith("Warning:")]
    return "\n".join(errors) or None


def through_both_doors(line: str) -> str | None:
    """Run the line through `Cluster.kubectl` and the magic; check the property; the refusal."""
    c = fresh_cluster()
    before = plane_snapshot(c.control_plane)
    refusal: str | None = None
    try:
        c.kubectl(line)
    except KubenetError as refused:
        refusal = str(refused)
        assert refusal, f"{line[:300]!r}: an empty refusal"
        assert plane_snapshot(c.control_plane) == before, f"{line[:300]!r}: refused, but changed"
    m = fresh_cluster()
    said = _through_magic(m, line)
    if refusal is not None:
        assert said is not None, f"{line[:300]!r}: the magic printed no error"
        assert plane_snapshot(m.control_plane) == before, f"{line[:300]!r}: magic changed state"
    return refusal


FUZZ = settings(
    max_examples=150,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(line=command_line())
def test_hostile_flag_values_are_a_result_or_a_refusal(line: str) -> None:
    through_both_doors(line)


# -- the crashes it found ------------------------------------------------------------------


def refused(line: str) -> str:
    """The refusal of a line, which must leave the cluster as it was (checked through both)."""
    refusal = through_both_doors(line)
    assert refusal is not None, line
    return refusal


BIG = "9" * 5000


def test_a_5000_digit_run_port_is_out_of_atoi_s_range() -> None:
    # Found by this fuzzer: atoi called int(), which refuses more than 4300 digits (ValueError).
    # kubernetes/kubectl v0.33.1 pkg/generate/versioned/run.go updatePodPorts returns
    # strconv.Atoi's error as is.
    assert refused(f"run x --image=nginx --port={BIG}") == (
        f'error: strconv.Atoi: parsing "{BIG}": value out of range'
    )


def test_run_and_expose_ports_wrap_as_go_s_int32_conversion() -> None:
    # run.go updatePodPorts: `ContainerPort: int32(port)`; expose.go createService:
    # `Port: int32(port)` (kubernetes/kubectl v0.33.1): Go's conversion keeps the low 32 bits.
    c = fresh_cluster()
    pod = c.kubectl("run x --image=nginx --port=4294967376 --dry-run=client -o yaml")
    assert "- containerPort: 80\n" in pod
    service = c.kubectl("expose deploy web --name=w2 --port=4294967376 --dry-run=client -o yaml")
    assert "  - port: 80\n    protocol: TCP\n    targetPort: 80\n" in service


@pytest.mark.parametrize("target", ["2147483648", BIG])
def test_an_expose_target_port_beyond_int32_is_a_port_name(target: str) -> None:
    # Found by this fuzzer: int() of a 5000-digit --target-port raised ValueError. expose.go
    # reads it with intstr.Parse (kubernetes/apimachinery v0.33.1 pkg/util/intstr/intstr.go):
    # strconv.ParseInt(val, 10, 32), and a text it cannot read is a port name.
    c = fresh_cluster()
    line = f"expose deploy web --name=w2 --port=80 --target-port={target}"
    assert f'    targetPort: "{target}"\n' in c.kubectl(line + " --dry-run=client -o yaml")
    assert "spec.ports[0].targetPort: Invalid value" in refused(line)


def test_a_5000_digit_tcp_port_is_out_of_parse_uint_s_range() -> None:
    # Found by this fuzzer: int() of 5000 digits. kubernetes/kubectl v0.33.1
    # pkg/cmd/create/create_service.go parsePorts: utilsnet.ParsePort, strconv.ParseUint(p, 10, 16).
    assert refused(f"create service clusterip s --tcp={BIG}") == (
        f'error: strconv.ParseUint: parsing "{BIG}": value out of range'
    )


def test_a_5000_digit_tcp_target_port_is_judged_as_a_port_name() -> None:
    # create_service.go parsePorts: when strconv.Atoi fails, validation.IsValidPortName.
    assert refused(f"create service clusterip s --tcp=80:{BIG}") == (
        "error: must be no more than 15 characters,must contain at least one letter (a-z)"
    )


def test_a_refused_create_deployment_leaves_the_randomness_as_it_was() -> None:
    # Found by this fuzzer: create_deployment.go buildPodSpec draws utilrand.String(5) for an
    # image named with `_` or `.`; a refused command drew it all the same (random state moved).
    assert refused("""create deployment '"' --image=my_app""").startswith(
        'error: failed to create deployment: Deployment.apps """ is invalid: '
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("a]b", "Bad hostname"),
        ("http://[::1", "Bad IPv6 address"),
        ("web:²", "Port number was not a decimal number between 0 and 65535"),
        (f"web:{BIG}", "Port number was not a decimal number between 0 and 65535"),
    ],
)
def test_exec_curl_of_a_malformed_url_fails_in_curl(url: str, reason: str) -> None:
    # curl's URL API refuses these (curl lib/urlapi.c, lib/strerror.c `curl_url_strerror`):
    # curl exits 3 and kubectl reports the command's exit status, a result and not a crash.
    out = fresh_cluster().kubectl(f"exec client -- curl -sS {shlex.quote(url)}")
    assert out == f"curl: (3) URL rejected: {reason}\ncommand terminated with exit code 3"
    assert out.exit_code == 1
