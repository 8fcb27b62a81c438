"""Hostile input through the workbench's forms: every field filled in, every button clicked.

Every text field of every form (the deployment's name and image, the Service's name, targetPort
and external name, the outside client's IP and the trace target, the NetworkPolicy's name,
labels and YAML) gets a hostile string: empty,
blanks, NUL, ESC, RTL overrides, lone surrogates, markup, DOT and HTML metacharacters, newlines,
digits that are not ASCII (`"²".isdigit()` holds, `int("²")` fails), 5000-digit numbers (more
than Python's `int()` reads) and 100 kB strings. Every number field gets 0, negatives, ints beyond
int32 and int64 and a 5000-digit int; the dropdowns and checkboxes get each of their choices, the
replicas slider any int (it keeps its own bounds). Then the buttons are clicked in a drawn order.

The property, per click: no exception escapes the click (ipywidgets logs a handler's exception
instead of raising it; `click` below raises it again), a refusal is a `KubenetError` shown in the
status line, escaped, and leaves the cluster exactly as it was (tests/cluster/invariants.py's
`snapshot`), and every view is drawn again with no markup of the user's left unescaped.

The plain tests at the end pin the crashes this fuzzer found, each with upstream's wording.
"""

from __future__ import annotations

import copy
import html
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kubenet_nb import Cluster
from kubenet_nb.views.workbench import Workbench

# tests/cluster/invariants.py is imported as tests/fuzz/test_hostile_input.py imports it: by its
# directory on sys.path (rootdir-style imports; tests/ has no __init__.py).
_INVARIANTS = str(Path(__file__).resolve().parents[1] / "cluster")
if _INVARIANTS not in sys.path:
    sys.path.insert(0, _INVARIANTS)
from invariants import snapshot as plane_snapshot  # noqa: E402


class Big(int):
    """±10**4999: 5000 digits, past what `repr()` and `str()` of an int write."""

    def __repr__(self) -> str:
        return "-10**4999" if self < 0 else "10**4999"


SCRIPT = "<script>alert(1)</script>"
HOSTILE_TEXT = [
    "",
    " ",
    "\t\n",
    "\x00",
    "a\x00b",
    "\x1b[31mred\x1b[0m",
    "\u202eevil\u202c",
    "\ud800",
    "x\udfffy",
    SCRIPT,
    '"{}<>|&',
    '"; ] digraph { a -> b } //',
    "<<b>&amp;</b>>",
    "a\nb",
    "web\n---\nkind: Namespace",
    "²",
    "٣",
    "-1",
    "0",
    "65536",
    "2147483648",
    "9" * 5000,
    "web:" + "9" * 5000,
    "10.96.0.1:" + "9" * 5000,
    "x" * 100_000,
    "web",
    "web:80",
    "172.18.0.1",
    "http",
]
HOSTILE_INTS = [
    0,
    -1,
    1,
    80,
    65536,
    2**31 - 1,
    2**31,
    -(2**31) - 1,
    2**63 - 1,
    2**63,
    -(2**63) - 1,
    2**64,
    10**30,
    Big(10**4999),
    Big(-(10**4999)),
]
TEXT = st.sampled_from(HOSTILE_TEXT) | st.text(max_size=12)
INTS = st.sampled_from(HOSTILE_INTS) | st.integers(-(2**40), 2**40)


# -- the cluster every example starts from -------------------------------------------------

_BASE: list[Cluster] = []


def fresh_cluster() -> Cluster:
    """A copy of one settled cluster with a deployment `web` and its Service."""
    if not _BASE:
        c = Cluster(seed=11)
        c.kubectl("create deployment web --image=nginx --replicas=2 --port=80")
        c.kubectl("expose deployment web --port=80")
        _BASE.append(c)
    return copy.deepcopy(_BASE[0])


# -- clicking ------------------------------------------------------------------------------


class _Escaped(logging.Handler):
    """Collects the exceptions ipywidgets' CallbackDispatcher logs instead of raising."""

    def __init__(self) -> None:
        super().__init__()
        self.raised: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.raised.append(record.exc_info[1])


@contextmanager
def escaping() -> Iterator[None]:
    """Raise again the first exception an on_click handler raised inside the block."""
    handler, logger = _Escaped(), logging.getLogger("traitlets")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.raised:
        raise handler.raised[0]


def click(button: widgets.Button) -> None:
    """`button.click()`, but a handler's exception escapes, as it must not."""
    with escaping():
        button.click()


# -- the checks ----------------------------------------------------------------------------


def views(wb: Workbench) -> dict[str, str]:
    """The HTML views an action draws again."""
    return {
        "picture": wb.picture_view.value,
        "table": wb.table_view.value,
        "log": wb.log_view.value,
        "status": wb.status_view.value,
        "result": wb.result_view.value,
    }


def check_views(wb: Workbench) -> None:
    """Every view is a string and none holds a tag typed into a form."""
    for name, value in views(wb).items():
        assert isinstance(value, str), name
        assert "<script" not in value.lower(), f"{name}: unescaped <script>"
        assert "<b>&amp;" not in value, f"{name}: unescaped <b>"


def state(wb: Workbench) -> dict[str, Any]:
    """What a refused action must leave as it was (tests/cluster/invariants.py `snapshot`)."""
    assert isinstance(wb.cluster, Cluster)
    return plane_snapshot(wb.cluster.control_plane)


def act(wb: Workbench, what: str, do: Any) -> None:
    """Do one action; check the property for it."""
    before = state(wb)
    newest = wb.history.entries[0] if wb.history.entries else None
    do()
    if wb.history.entries and wb.history.entries[0] is not newest:
        entry = wb.history.entries[0][0]
        if entry.error is not None:
            assert entry.error, f"{what}: an empty error"
            assert html.escape(entry.error) in wb.status_view.value, what
            after = state(wb)
            assert after == before, f"{what}: refused ({entry.error[:300]!r}) but state changed"
    check_views(wb)


# -- filling the forms ---------------------------------------------------------------------


def _choices(dropdown: widgets.Dropdown) -> list[Any]:
    return [value for _, value in dropdown.options]


def fill(wb: Workbench, data: st.DataObject) -> None:
    """Every field of every form: a hostile value, or a choice among those offered."""
    for form, field in [
        (wb.deploy, "name"),
        (wb.deploy, "image"),
        (wb.expose, "name"),
        (wb.expose, "target_port"),
        (wb.expose, "external_name"),
    ]:
        getattr(form, field).value = data.draw(TEXT, label=field)
    for field in ("client_ip", "target"):
        getattr(wb.tracer, field).value = data.draw(TEXT, label=field)
    wb.policies.template.value = data.draw(st.sampled_from(_choices(wb.policies.template)))
    for field in ("name", "pods", "source", "peer"):
        getattr(wb.policies, field).value = data.draw(TEXT, label=f"policy {field}")
    if data.draw(st.booleans(), label="edit the policy's YAML"):
        wb.policies.manifest_text.value = data.draw(TEXT, label="policy YAML")
    wb.policies.matrix_port.value = max(1, min(65535, data.draw(INTS, label="matrix port")))
    wb.deploy.replicas.value = data.draw(INTS, label="replicas")
    wb.deploy.port.value = data.draw(INTS, label="container port")
    wb.expose.port.value = data.draw(INTS, label="port")
    wb.expose.node_port.value = data.draw(INTS, label="nodePort")
    for dropdown in (
        wb.expose.deployment,
        wb.expose.type,
        wb.expose.affinity,
        wb.expose.policy,
        wb.pods.deployment,
        wb.pods.pod,
        wb.nodes.node,
        wb.tracer.source,
        wb.tracer.via,
        wb.policies.policy,
        wb.policies.matrix_protocol,
    ):
        if dropdown.options:
            dropdown.value = data.draw(st.sampled_from(_choices(dropdown)))
    for box in (wb.nodes.ignore_daemonsets, wb.nodes.delete_emptydir, wb.nodes.force):
        box.value = data.draw(st.booleans(), label=box.description)


def buttons(wb: Workbench) -> dict[str, widgets.Button]:
    """Every button of the app, by name."""
    return {
        "deploy": wb.deploy.create,
        "expose": wb.expose.create,
        "fail": wb.pods.fail,
        "restore": wb.pods.restore,
        "delete-pod": wb.pods.delete,
        "cordon": wb.nodes.cordon,
        "uncordon": wb.nodes.uncordon,
        "drain": wb.nodes.drain,
        "trace": wb.tracer.trace,
        "send": wb.tracer.send,
        "apply-policy": wb.policies.apply,
        "delete-policy": wb.policies.delete,
        "refresh": wb.refresh_button,
    }


FUZZ = settings(
    max_examples=12,
    deadline=None,
    # Each example clicks a dozen buttons over a cluster: report it as drawn.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(data=st.data())
def test_hostile_fields_then_every_button(data: st.DataObject) -> None:
    wb = Workbench(fresh_cluster())
    check_views(wb)
    fill(wb, data)
    named = buttons(wb)
    order = data.draw(st.permutations([*named, "slider"]), label="order")
    for what in order:
        if what == "slider":
            value = data.draw(INTS, label="slider")
            act(wb, "slider", lambda value=value: setattr(wb.pods.replicas, "value", value))
        else:
            act(wb, what, lambda what=what: click(named[what]))


# -- the crashes it found ------------------------------------------------------------------


@pytest.fixture
def wb() -> Workbench:
    return Workbench(fresh_cluster())


def _refused(wb: Workbench, button: widgets.Button) -> str:
    before = state(wb)
    click(button)
    error = wb.history.entries[0][0].error
    assert error is not None
    assert state(wb) == before
    check_views(wb)
    return error


def test_a_5000_digit_replicas_is_refused_by_pflag(wb: Workbench) -> None:
    # Found by this fuzzer: the form wrote `--replicas=` with str(), which refuses more than
    # 4300 digits (ValueError out of the click). kubectl's words: pflag's Int32 flag around
    # strconv.ParseInt (kubernetes/kubectl v0.33.1 pkg/cmd/create/create_deployment.go,
    # `Int32VarP(&o.Replicas, "replicas", "r", 1, ...)`).
    wb.deploy.name.value = "big"
    wb.deploy.replicas.value = 10**4999
    digits = "1" + "0" * 4999
    assert _refused(wb, wb.deploy.create) == (
        f'error: invalid argument "{digits}" for "-r, --replicas" flag: strconv.ParseInt: '
        f'parsing "{digits}": value out of range\n'
        "See 'kubectl create deployment --help' for usage."
    )


@pytest.mark.parametrize("digit", ["²", "٣"])
def test_a_target_port_of_unicode_digits_is_a_port_name(wb: Workbench, digit: str) -> None:
    # Found by this fuzzer: `int(target) if target.isdigit()` raised ValueError for "²".
    # The form reads targetPort as `kubectl expose --target-port` does: intstr.Parse
    # (kubernetes/apimachinery v0.33.1 pkg/util/intstr/intstr.go: strconv.ParseInt(val, 10, 32),
    # else FromString), so the API server judges it as a port name.
    wb.expose.deployment.value = "web"
    wb.expose.name.value = "web2"
    wb.expose.target_port.value = digit
    assert wb.expose.manifest(None, "default")["spec"]["ports"][0]["targetPort"] == digit
    assert _refused(wb, wb.expose.create) == (
        'The Service "web2" is invalid: \n'
        f'* spec.ports[0].targetPort: Invalid value: "{digit}": must contain only alpha-numeric '
        "characters (a-z, 0-9), and hyphens (-)\n"
        f'* spec.ports[0].targetPort: Invalid value: "{digit}": must contain at least one letter '
        "(a-z)"
    )


def test_a_target_port_beyond_int32_is_a_port_name(wb: Workbench) -> None:
    wb.expose.target_port.value = "2147483648"
    assert wb.expose.manifest(None, "default")["spec"]["ports"][0]["targetPort"] == "2147483648"


def test_a_refused_deployment_leaves_the_random_suffix_undrawn(wb: Workbench) -> None:
    # Found by this fuzzer: an image with `_` or `.` in its name gets a random container-name
    # suffix (kubernetes/kubectl v0.33.1 pkg/cmd/create/create_deployment.go, buildPodSpec:
    # utilrand.String(5)); a refused deployment drew it all the same, so the cluster's random
    # state changed although nothing was made.
    wb.deploy.name.value = '"'
    wb.deploy.image.value = "my_app"
    assert _refused(wb, wb.deploy.create).startswith(
        'error: failed to create deployment: Deployment.apps """ is invalid: '
    )


def test_a_lone_surrogate_in_a_trace_target_is_drawn(wb: Workbench) -> None:
    wb.tracer.source.value = "kind-worker2"
    wb.tracer.target.value = "\ud800"
    click(wb.tracer.trace)
    check_views(wb)


@pytest.mark.parametrize("port", ["²", "9" * 5000])
def test_a_trace_target_port_of_odd_digits_is_refused(wb: Workbench, port: str) -> None:
    wb.tracer.target.value = f"web:{port}"
    _refused(wb, wb.tracer.trace)


def test_a_5000_digit_service_port_is_refused(wb: Workbench) -> None:
    wb.expose.deployment.value = "web"
    wb.expose.name.value = "web2"
    wb.expose.port.value = 10**4999
    _refused(wb, wb.expose.create)
