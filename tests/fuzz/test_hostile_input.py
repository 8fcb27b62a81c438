"""Hostile input through every door: mutated manifests are stored well typed or refused cleanly.

Valid manifests of the kinds kubenet serves (`kubenet_nb/api/kinds.py`) are mutated: a field given
a value of another JSON/YAML type (YAML 1.1 words, dates, ints beyond int64), unknown fields at
any depth, hostile strings (NUL, ESC, RTL overrides, lone surrogates, markup, DOT and HTML
metacharacters, newlines), huge strings and deep nesting. Each mutant goes through each door a
learner has: YAML text and dicts to `Cluster.apply`, dicts to `Cluster.create`, `kubectl apply -f -`
and `kubectl create -f -`, and the `%%kubectl` magic's `run`.

The property, per door: the request is either accepted, and then every stored object decodes again
under the v1.33 schema with no unknown field and is plain JSON, or refused with a `KubenetError`
(kubectl's error text for the magic), and then the store, the allocators, the clock and the random
state are exactly as before. After each example every view renders: the topology's DOT (and its
SVG where Graphviz is installed), the tables, `iptables-save` on every node, `get all -A -o yaml`,
`describe` of every object a learner made, and a trace from a pod to each Service port.

The plain tests at the end replay the issue's reproductions end to end, through YAML and the views.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import shlex
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import kubenet_nb
from kubenet_nb import Cluster, KubenetError
from kubenet_nb.api.decode.checker import Walk
from kubenet_nb.api.decode.schema import kind_checker
from kubenet_nb.api.kinds import RESOURCES, by_kind
from kubenet_nb.face.magic import run as magic_run
from kubenet_nb.io.go_yaml import load_document

# tests/cluster/invariants.py is imported as test_cluster_invariants.py imports it: by its
# directory on sys.path (rootdir-style imports; tests/ has no __init__.py).
_INVARIANTS = str(Path(__file__).resolve().parents[1] / "cluster")
if _INVARIANTS not in sys.path:
    sys.path.insert(0, _INVARIANTS)
from invariants import snapshot as plane_snapshot  # noqa: E402

# -- the valid manifests -------------------------------------------------------------------

NS = "fz-ns"
CLIENT = "default/client"


def _container(name: str, port: int) -> dict[str, Any]:
    return {
        "name": name,
        "image": "nginx:1.27",
        "ports": [{"name": "http", "containerPort": port, "protocol": "TCP"}],
        "readinessProbe": {"httpGet": {"path": "/", "port": "http"}, "periodSeconds": 5},
        "livenessProbe": {"tcpSocket": {"port": port}, "initialDelaySeconds": 3},
        "env": [{"name": "MODE", "value": "fuzz"}],
    }


def _template(app: str) -> dict[str, Any]:
    return {
        "metadata": {"labels": {"app": app}},
        "spec": {"containers": [_container("web", 8080)]},
    }


def _service(name: str, kind: str, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "labels": {"tier": "front"}},
        "spec": {
            "type": kind,
            "selector": {"app": "fz-web"},
            "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}],
            **spec,
        },
    }


BASES: dict[str, dict[str, Any]] = {
    "namespace": {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}},
    "deployment": {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "fz-web", "labels": {"app": "fz-web"}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "fz-web"}},
            "template": _template("fz-web"),
        },
    },
    "replicaset": {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": "fz-rs"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "fz-rs"}},
            "template": _template("fz-rs"),
        },
    },
    "daemonset": {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "fz-ds"},
        "spec": {"selector": {"matchLabels": {"app": "fz-ds"}}, "template": _template("fz-ds")},
    },
    "pod": {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "fz-pod", "labels": {"app": "fz-web"}, "annotations": {"a": "b"}},
        "spec": {"containers": [_container("app", 9090)], "restartPolicy": "Always"},
    },
    "clusterip": _service("fz-cip", "ClusterIP", sessionAffinity="ClientIP"),
    "nodeport": _service("fz-np", "NodePort", externalTrafficPolicy="Local"),
    "loadbalancer": _service("fz-lb", "LoadBalancer", allocateLoadBalancerNodePorts=True),
    "headless": _service("fz-hl", "ClusterIP", clusterIP="None"),
    "externalname": {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "fz-ext"},
        "spec": {"type": "ExternalName", "externalName": "example.com"},
    },
    "selectorless": {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "fz-manual"},
        "spec": {"ports": [{"name": "http", "port": 80, "protocol": "TCP"}]},
    },
    "endpointslice": {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": "fz-manual-1", "labels": {"kubernetes.io/service-name": "fz-manual"}},
        "addressType": "IPv4",
        "endpoints": [
            {"addresses": ["10.244.1.50"], "conditions": {"ready": True}, "nodeName": "kind-worker"}
        ],
        "ports": [{"name": "http", "port": 80, "protocol": "TCP"}],
    },
    "endpoints": {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": "fz-manual"},
        "subsets": [
            {
                "addresses": [{"ip": "10.244.1.50"}],
                "ports": [{"name": "http", "port": 80, "protocol": "TCP"}],
            }
        ],
    },
}

# -- the mutations -------------------------------------------------------------------------


class Raw:
    """A YAML plain scalar written as is (`on`, `2024-01-01`, `0x1F`); a dict door gets what the
    YAML reader makes of it."""

    def __init__(self, text: str) -> None:
        self.text = text

    def value(self) -> Any:
        """What the manifest reader hands the API for this scalar (a refusal stays a Raw)."""
        try:
            return load_document("v: " + self.text)["v"]
        except (KubenetError, ValueError):
            return self.text

    def __repr__(self) -> str:
        return f"Raw({self.text!r})"


YAML_WORDS = [
    "on",
    "off",
    "yes",
    "no",
    "y",
    "n",
    "True",
    "NULL",
    "~",
    "2024-01-01",
    "2001-12-14t21:59:43.10-05:00",
    ".inf",
    "-.inf",
    ".nan",
    "0x1F",
    "0o17",
    "017",
    "0b101",
    "1_000",
    "1e3",
    "1:20",
    "+12",
    "=",
    "9223372036854775808",
    "123456789012345678901234567890",
]
BIG_INTS = [2**31 - 1, 2**31, -(2**31) - 1, 2**63 - 1, 2**63, -(2**63) - 1, 2**64, 10**30]
HOSTILE = [
    "\x00",
    "a\x00b",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "\u202eevil\u202c",
    "\u200b",
    "\ufeff",
    "\ud800",
    "x\udfffy",
    "<script>alert(1)</script>",
    '"; ] digraph { a -> b } //',
    "<<b>&amp;</b>>",
    "{a|b}",
    "\\N\\G\\l",
    "a\nb",
    "line\r\n---\nkind: Namespace",
    "\t",
    "\x7f\x85\u2028",
    "'\"`$(id)`${x}%s",
    "-A KUBE-SERVICES -j ACCEPT",
    "",
    " ",
    "a" * 300,
]

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.sampled_from(BIG_INTS),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.5, 1.5, 80.0, -1.0, 1e300]),
    st.text(max_size=8),
    st.sampled_from(HOSTILE),
    st.sampled_from(YAML_WORDS).map(Raw),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
KEYS = st.one_of(
    st.sampled_from(["bogus", "x-extra", "Name", "PORTS", "$ref", "status", "kind", "__proto__"]),
    st.sampled_from(HOSTILE),
    st.text(max_size=6),
)


class Nest:
    """A value nested `depth` lists (or single-member maps) deep, built without recursion."""

    def __init__(self, depth: int, leaf: Any, as_list: bool) -> None:
        self.depth, self.leaf, self.as_list = depth, leaf, as_list

    def value(self) -> Any:
        value = to_dict(self.leaf)
        for _ in range(self.depth):
            value = [value] if self.as_list else {"n": value}
        return value

    def text(self) -> str:
        opening, closing = ("[", "]") if self.as_list else ("{n: ", "}")
        return opening * self.depth + to_yaml(self.leaf) + closing * self.depth

    def __repr__(self) -> str:
        return f"Nest({self.depth}, {self.leaf!r}, as_list={self.as_list})"


def paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a member or element of `obj`, outermost first."""
    found = [prefix] if prefix else []
    if isinstance(obj, dict):
        for key, value in obj.items():
            found += paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            found += paths(value, (*prefix, index))
    return found


def _containers(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The paths of every dict in `obj`, the root included (where an unknown field can go)."""
    found = [prefix] if isinstance(obj, dict) else []
    if isinstance(obj, dict):
        for key, value in obj.items():
            found += _containers(value, (*prefix, key))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            found += _containers(value, (*prefix, index))
    return found


def _at(obj: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        obj = obj[key]
    return obj


@st.composite
def mutation(draw: st.DrawFn, obj: dict[str, Any]) -> str:
    """Apply one mutation to `obj` in place; return what it did (for the failure report)."""
    how = draw(st.sampled_from(["retype", "retype", "unknown", "hostile", "nest"]))
    if how == "unknown":
        where = draw(st.sampled_from(_containers(obj)))
        key, value = draw(KEYS), draw(VALUES)
        _at(obj, where)[key] = value
        return f"unknown {where}[{key!r}] = {value!r}"
    if how == "hostile":
        strings = [p for p in paths(obj) if isinstance(_at(obj, p), str)]
        path = draw(st.sampled_from(strings))
        text = draw(st.sampled_from(HOSTILE) | st.text(min_size=1, max_size=20))
        text = draw(st.sampled_from([text, _at(obj, path) + text, text + _at(obj, path)]))
        _at(obj, path[:-1])[path[-1]] = text
        return f"hostile {path} = {text!r}"
    path = draw(st.sampled_from(paths(obj)))
    if how == "nest":
        depth = draw(st.sampled_from([5, 60, 200, 1100, 2000]))
        value = Nest(depth, draw(SCALARS), draw(st.booleans()))
        _at(obj, path[:-1])[path[-1]] = value
        return f"nest {path} depth {depth}"
    value = draw(VALUES)
    _at(obj, path[:-1])[path[-1]] = value
    return f"retype {path} = {value!r}"


# -- the doors -----------------------------------------------------------------------------


def to_yaml(value: Any) -> str:
    """The manifest as YAML text: JSON's flow style (a YAML subset), `Raw` scalars as written."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, Nest):
        return value.text()
    if isinstance(value, dict):
        return "{" + ", ".join(f"{to_yaml(k)}: {to_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(to_yaml(v) for v in value) + "]"
    if isinstance(value, float) and not math.isfinite(value):
        return {"inf": ".inf", "-inf": "-.inf"}.get(repr(value), ".nan")
    return json.dumps(value, ensure_ascii=False)


def to_dict(value: Any) -> Any:
    """The manifest as a client's dict: each `Raw` scalar as the YAML reader reads it."""
    if isinstance(value, (Raw, Nest)):
        return value.value()
    if isinstance(value, dict):
        return {to_dict(k) if isinstance(k, Raw) else k: to_dict(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_dict(v) for v in value]
    return value


def _through_magic(c: Cluster, command: str) -> str | None:
    kubenet_nb.use(c)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        magic_run(command)
    errors = [line for line in err.getvalue().splitlines() if not line.startswith("Warning:")]
    return "\n".join(errors) or None


def _door(name: str, obj: Any, text: str) -> Callable[[Cluster], str | None]:
    """One way in: returns None when the request was accepted, the refusal's text otherwise."""

    def send(c: Cluster) -> str | None:
        try:
            if name == "apply-yaml":
                c.apply(text)
            elif name == "apply-dict":
                c.apply(obj)
            elif name == "create-dict":
                c.create(obj)
            elif name == "kubectl-apply":
                c.kubectl("apply -f -\n" + text)
            elif name == "kubectl-create":
                c.kubectl("create -f -\n" + text)
            else:
                return _through_magic(c, "apply -f -\n" + text)
        except KubenetError as refused:
            return str(refused) or "refused"
        return None

    return send


DOORS = ("apply-yaml", "apply-dict", "create-dict", "kubectl-apply", "kubectl-create", "magic")

# -- the checks ----------------------------------------------------------------------------


def snapshot(c: Cluster) -> dict[str, Any]:
    """What a refused request must leave as it was (tests/cluster/invariants.py `snapshot`)."""
    return plane_snapshot(c.control_plane)


def _plain_json(value: Any, where: str) -> None:
    """A stored object is what JSON can carry: str keys; str, finite numbers, bool, null.

    Iterative: a stored value may be nested deeper than Python's recursion limit."""
    stack = [(value, where)]
    while stack:
        item, path = stack.pop()
        if isinstance(item, dict):
            for key, member in item.items():
                assert type(key) is str, f"{path}: key {key!r}"
                stack.append((member, f"{path}.{key}"))
        elif isinstance(item, list):
            stack.extend((member, f"{path}[{i}]") for i, member in enumerate(item))
        else:
            assert item is None or type(item) in (str, int, bool, float), f"{path}: {item!r}"
            assert not isinstance(item, float) or math.isfinite(item), f"{path}: {item!r}"


def check_store_well_typed(c: Cluster) -> None:
    """Every stored object decodes again under its kind's schema, with no unknown field."""
    for info in RESOURCES:
        checker = kind_checker(info.kind)
        for obj in c.control_plane.store.list(info.kind):
            where = f"{info.kind} {obj['metadata'].get('namespace', '')}/{obj['metadata']['name']}"
            _plain_json(obj, where)
            if checker is None:
                continue
            walk = Walk(ordered=True)
            checker.decode(obj, walk)
            assert walk.unknown == [], f"{where}: unknown fields {walk.unknown}"


def _learner_objects(c: Cluster) -> Iterator[tuple[str, str, str]]:
    """(resource, name, namespace) of the objects outside the system namespaces."""
    for info in RESOURCES:
        if info.kind in ("Event", "Node"):
            continue
        for obj in c.control_plane.store.list(info.kind):
            meta = obj["metadata"]
            namespace = meta.get("namespace", "")
            if namespace.startswith("kube-") or namespace == "local-path-storage":
                continue
            if not namespace and not meta["name"].startswith("fz-"):
                continue
            yield info.qualified_plural, meta["name"], namespace or "default"


def render_views(c: Cluster, svg: bool = False) -> None:
    """Every view of the cluster, as a learner opens them; none may raise."""
    picture = c.topology()
    assert picture.source.startswith(("digraph", "graph", "strict"))
    assert isinstance(c.topology(namespace=None, system=True).source, str)
    if svg:
        assert "<svg" in picture.svg()
        assert "image/svg+xml" in picture._repr_mimebundle_()
    c.endpoints_table()
    c.services_table(namespace=None, show_labels=True)
    c.pods_table(namespace=None, show_labels=True)
    c.dns_table()
    for node in c.settings.node_names():
        c.rules_table(node=node)
        c.iptables_save(node=node)
    assert "kind: List" in c.kubectl("get all -A -o yaml")
    c.kubectl("get all,endpointslices,endpoints -A -o wide --show-labels")
    for resource, name, namespace in _learner_objects(c):
        if resource != "daemonsets.apps":  # kubectl/describe has no DaemonSet describer yet
            c.kubectl(f"describe {resource} {shlex.quote(name)} -n {shlex.quote(namespace)}")
    for service in c.control_plane.store.list("Service"):
        meta = service["metadata"]
        for port in service["spec"].get("ports") or ():
            dst = f"{meta['name']}.{meta['namespace']}:{port['port']}"
            with contextlib.suppress(KubenetError):  # an unreachable name is the trace's answer
                c.trace(CLIENT, dst, protocol=port.get("protocol", "TCP"))


# -- the cluster every example starts from -------------------------------------------------

CLIENT_POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "client", "labels": {"role": "client"}},
    "spec": {"containers": [{"name": "c", "image": "busybox"}]},
}
_BASE: list[Cluster] = []
_RENDERED: set[int] = set()


def fresh_cluster() -> Cluster:
    """A copy of one settled cluster with a client pod (made once: copying is cheaper)."""
    if not _BASE:
        c = Cluster(seed=11)
        c.apply(CLIENT_POD)
        _BASE.append(c)
    return copy.deepcopy(_BASE[0])


def _views_once(c: Cluster, svg: bool) -> None:
    """Render the views of each distinct state once (most doors leave the same store)."""
    key = hash((svg, json.dumps({i.kind: c.control_plane.store.list(i.kind) for i in RESOURCES})))
    if key in _RENDERED:
        return
    render_views(c, svg)
    _RENDERED.add(key)


def through_every_door(mutant: dict[str, Any], svg: bool = False) -> dict[str, str | None]:
    """Send the mutant through each door on a fresh cluster; check the property; render views."""
    text = to_yaml(mutant)
    outcomes: dict[str, str | None] = {}
    for name in DOORS:
        c = fresh_cluster()
        before = snapshot(c)
        sent = to_dict(mutant)
        refusal = _door(name, sent, text)(c)
        outcomes[name] = refusal
        if "Nest(" not in repr(mutant):  # deep values: == itself would recurse too far
            assert repr(sent) == repr(to_dict(mutant)), f"{name}: the client's dict was changed"
        if refusal is not None:
            assert snapshot(c) == before, f"{name}: refused ({refusal[:300]}) but state changed"
        check_store_well_typed(c)
        _views_once(c, svg)
    return outcomes


FUZZ = settings(
    max_examples=60,
    deadline=None,
    # Shrinking a mutant through six doors and every view takes minutes: report it as drawn.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(base=st.sampled_from(sorted(BASES)), data=st.data())
def test_mutants_are_stored_well_typed_or_refused_cleanly(base: str, data: st.DataObject) -> None:
    mutant = copy.deepcopy(BASES[base])
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        data.draw(mutation(mutant), label="mutation")
    through_every_door(mutant)


@settings(FUZZ, max_examples=8)
@given(base=st.sampled_from(sorted(BASES)), data=st.data())
def test_huge_strings(base: str, data: st.DataObject) -> None:
    mutant = copy.deepcopy(BASES[base])
    size = data.draw(st.sampled_from([100 * 1024, 300 * 1024, 3 * 1024 * 1024, 4 * 1024 * 1024]))
    where = data.draw(st.sampled_from(["annotation", "string", "unknown"]))
    huge = data.draw(st.sampled_from(["x", "é", '<&"', "\\n"])) * (size // 3)
    if where == "annotation":
        mutant["metadata"].setdefault("annotations", {})["big"] = huge
    elif where == "unknown":
        mutant["metadata"]["huge"] = huge
    else:
        strings = [p for p in paths(mutant) if isinstance(_at(mutant, p), str)]
        path = data.draw(st.sampled_from(strings))
        _at(mutant, path[:-1])[path[-1]] = huge
    through_every_door(mutant)


@pytest.mark.exe
@settings(FUZZ, max_examples=10)
@given(base=st.sampled_from(sorted(BASES)), data=st.data())
def test_mutants_render_as_svg(base: str, data: st.DataObject) -> None:
    mutant = copy.deepcopy(BASES[base])
    data.draw(mutation(mutant), label="mutation")
    through_every_door(mutant, svg=True)


def test_every_valid_base_is_accepted_through_every_door() -> None:
    """The mutations start from manifests every door accepts."""
    for name, base in BASES.items():
        outcomes = through_every_door(copy.deepcopy(base))
        assert outcomes == dict.fromkeys(DOORS), (name, outcomes)
    assert {by_kind(b["kind"]).kind for b in BASES.values()} >= {"Pod", "Service", "Deployment"}


# -- the reproductions, end to end -------------------------------------------------

SERVICE = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n{labels}spec:\n  ports: {ports}\n"


def _refused(c: Cluster, manifest: str | bytes) -> str:
    before = snapshot(c)
    with pytest.raises(KubenetError) as refused:
        c.apply(manifest)
    assert snapshot(c) == before
    render_views(c)
    return str(refused.value)


def test_an_object_port_name_in_yaml_is_refused() -> None:
    text = SERVICE.format(labels="", ports="[{name: {}, port: 80}]")
    assert _refused(fresh_cluster(), text).endswith(
        "json: cannot unmarshal object into Go struct field ServicePort.spec.ports.name of type "
        "string"
    )


def test_an_on_label_key_is_stored_as_true() -> None:
    c = fresh_cluster()
    [svc] = c.apply(SERVICE.format(labels="  labels: {on: x}\n", ports="[{port: 80}]"))
    assert svc["metadata"]["labels"] == {"true": "x"}
    check_store_well_typed(c)
    render_views(c)
    assert "true=x" in c.kubectl("get svc web --show-labels")


@pytest.mark.parametrize(("value", "word"), [("7", "number"), ("True", "bool"), ("1.5", "number")])
def test_non_string_label_values_in_yaml_are_refused(value: str, word: str) -> None:
    text = SERVICE.format(labels=f"  labels: {{tier: {value}}}\n", ports="[{port: 80}]")
    assert _refused(fresh_cluster(), text).endswith(
        f"json: cannot unmarshal {word} into Go struct field ObjectMeta.metadata.labels of type "
        "string"
    )


def test_non_utf8_bytes_become_replacement_characters_and_are_refused_in_a_name() -> None:
    data = b"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\xfe\xff\n"
    assert "Invalid value" in _refused(fresh_cluster(), data)


def test_non_utf8_bytes_in_an_annotation_are_stored_as_replacement_characters() -> None:
    c = fresh_cluster()
    data = b"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: fz-ns\n  annotations: {a: \xff}\n"
    [ns] = c.apply(data)
    assert ns["metadata"]["annotations"]["a"] == "\ufffd"
    render_views(c)


@pytest.mark.parametrize(
    "data",
    [
        b"apiVersion: v1\nkind: Namespace\nmetadata: {name: \x00}\n",
        b"apiVersion: v1\x00\nkind: Namespace\n",
    ],
)
def test_nul_bytes_are_refused_by_the_yaml_reader(data: bytes) -> None:
    assert _refused(fresh_cluster(), data).endswith("yaml: control characters are not allowed")


def test_an_escaped_nul_in_a_name_is_refused_by_validation() -> None:
    text = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: "a\\0b"}\n'
    assert "Invalid value" in _refused(fresh_cluster(), text)


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_two_thousand_levels_of_nesting_in_a_typed_field_are_refused(opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    deep = opening * 2000 + "1" + closing * 2000
    text = SERVICE.format(labels="", ports=deep)
    assert "cannot unmarshal" in _refused(fresh_cluster(), text)


def test_two_thousand_levels_in_an_unknown_field_are_refused_and_dropped_under_ignore() -> None:
    deep = "[" * 2000 + "]" * 2000
    text = SERVICE.format(labels="", ports="[{port: 80}]") + f"extra: {deep}\n"
    assert 'unknown field "extra"' in _refused(fresh_cluster(), text)
    c = fresh_cluster()
    c.kubectl("apply --validate=false -f -\n" + text)
    check_store_well_typed(c)
    render_views(c)


def test_a_plain_date_value_is_sent_as_its_text() -> None:
    c = fresh_cluster()
    text = (
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: fz-ns\n"
        "  annotations: {since: 2024-01-01, at: 2001-12-14t21:59:43.10-05:00}\n"
    )
    [ns] = c.apply(text)
    assert ns["metadata"]["annotations"]["since"] == "2024-01-01"
    check_store_well_typed(c)
    render_views(c)
    assert "since: 2024-01-01" in c.kubectl("describe ns fz-ns")


def test_a_plain_date_label_value_is_its_text() -> None:
    text = SERVICE.format(labels="  labels: {since: 2024-01-01}\n", ports="[{port: 80}]")
    c = fresh_cluster()
    [svc] = c.apply(text)
    assert svc["metadata"]["labels"] == {"since": "2024-01-01"}
    check_store_well_typed(c)
    render_views(c)


def test_kubectl_apply_of_a_list_name_is_refused() -> None:
    # Found by this fuzzer: apply looked the live object up by a list name (TypeError).
    text = SERVICE.format(labels="", ports="[{port: 80}]").replace("name: web", "name: [{}]")
    c = fresh_cluster()
    with pytest.raises(KubenetError):
        c.kubectl("apply -f -\n" + text)


@pytest.mark.parametrize("field", ["kind", "apiVersion"])
def test_a_list_kind_or_api_version_is_refused(field: str) -> None:
    text = SERVICE.format(labels="", ports="[{port: 80}]").replace(f"{field}:", f"{field}: [{{}}]#")
    _refused(fresh_cluster(), text)
