"""`%kubectl` and `%%kubectl` in an in-process IPython shell (no kernel), and `use`/`current`."""

from __future__ import annotations

import subprocess
import sys
import types
from collections.abc import Iterator

import pytest
import yaml
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

import kubenet_nb
from kubenet_nb import Cluster
from kubenet_nb.face import context
from kubenet_nb.face.magic import commands, reads_stdin

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
"""

# client-go's warning handler writes the API server's warnings to kubectl's stderr (kubectl's
# cmd.go sets rest.NewWarningWriter on IOStreams.ErrOut; kubernetes/website blog 2020-09-03
# "Warning: Helpful Warnings Ahead"). The warning text is pkg/api/service/warnings.go's.
EXTERNAL_NAME_IGNORED = (
    'Warning: spec.externalName is ignored when spec.type is not "ExternalName"\n'
)
ODD_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: odd
spec:
  externalName: example.com
  ports:
  - port: 80
"""

HOSTILE = "<script>alert(\"x\")</script> {{ .braces }} a:b 'q' back\\slash $HOME\nsecond line"


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InteractiveShell]:
    """A shell of our own, not the singleton, with its own user module: nothing leaks."""
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    module = types.ModuleType("kubenet_nb_test_notebook")
    yield InteractiveShell(
        config=config,
        ipython_dir=str(tmp_path_factory.mktemp("ipython")),
        user_module=module,
    )
    sys.modules.pop(module.__name__, None)


@pytest.fixture
def ip(shell: InteractiveShell, monkeypatch: pytest.MonkeyPatch) -> InteractiveShell:
    """The shell with the extension loaded and no current cluster chosen yet."""
    monkeypatch.setattr(context, "_current", None)
    if "kubenet_nb" not in shell.extension_manager.loaded:
        shell.run_line_magic("load_ext", "kubenet_nb")
    return shell


@pytest.fixture
def c(ip: InteractiveShell) -> Cluster:
    return kubenet_nb.use(Cluster())


def test_line_magic_prints_what_kubectl_prints(
    ip: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ip.run_line_magic("kubectl", "get nodes") is None
    out, err = capsys.readouterr()
    assert out == c.kubectl("get nodes") + "\n"
    assert out.startswith("NAME                 STATUS   ROLES           AGE   VERSION\n")
    assert err == ""


def test_line_magic_acts_on_the_current_cluster(
    ip: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    ip.run_line_magic("kubectl", "create deployment web --image=nginx --replicas=3")
    assert capsys.readouterr() == ("deployment.apps/web created\n", "")
    assert c.get("deployment", "web")["spec"]["replicas"] == 3


def test_cell_magic_applies_the_body(
    ip: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ip.run_cell_magic("kubectl", "apply -f -", DEPLOYMENT) is None
    assert capsys.readouterr() == ("deployment.apps/web created\n", "")
    assert len(c.list("pods", selector="app=web")) == 2
    ip.run_cell_magic("kubectl", "apply -f -", DEPLOYMENT)
    assert capsys.readouterr() == ("deployment.apps/web unchanged\n", "")


@pytest.mark.parametrize(
    "line", ["create -f -", "kubectl apply --filename=-", "apply -f- -n default"]
)
def test_every_spelling_of_stdin_reads_the_body(
    ip: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str], line: str
) -> None:
    ip.run_cell_magic("kubectl", line, DEPLOYMENT)
    assert capsys.readouterr() == ("deployment.apps/web created\n", "")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("apply -f -", True),
        ("apply -f=-", True),
        ("apply -f-", True),
        ("apply --filename -", True),
        ("apply --filename=-", True),
        ("apply -f 'unbalanced", True),
        ("apply -f web.yaml", False),
        ("get pods -", False),
        ("apply -f", False),
    ],
)
def test_reads_stdin(line: str, expected: bool) -> None:
    assert reads_stdin(line) is expected


def test_warnings_go_to_stderr_before_the_result(
    ip: InteractiveShell, c: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    log: list[tuple[str, str]] = []

    class Stream:
        def __init__(self, name: str) -> None:
            self.name = name

        def write(self, text: str) -> int:
            log.append((self.name, text))
            return len(text)

        def flush(self) -> None:
            log.append((self.name, "<flush>"))

    monkeypatch.setattr(sys, "stdout", Stream("stdout"))
    monkeypatch.setattr(sys, "stderr", Stream("stderr"))
    ip.run_cell_magic("kubectl", "apply -f -", ODD_SERVICE)
    assert log == [
        ("stderr", EXTERNAL_NAME_IGNORED),
        ("stderr", "<flush>"),
        ("stdout", "service/odd created\n"),
        ("stdout", "<flush>"),
    ]


def test_a_refusal_prints_on_stderr_and_returns_none(
    ip: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ip.run_line_magic("kubectl", "get pod missing") is None
    assert capsys.readouterr() == ("", 'Error from server (NotFound): pods "missing" not found\n')


def test_a_refused_cell_succeeds_without_traceback(
    ip: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    result = ip.run_cell("%kubectl expose deployment nothere --port=80")
    out, err = capsys.readouterr()
    assert result.success
    assert result.error_in_exec is None
    assert out == ""
    assert err == 'Error from server (NotFound): deployments.apps "nothere" not found\n'


def test_invalid_manifest_prints_the_api_servers_words(
    ip: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    ip.run_cell("%%kubectl apply -f -\n" + DEPLOYMENT.replace("name: web\nspec", "name: Web\nspec"))
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith('The Deployment "Web" is invalid: metadata.name: Invalid value: "Web"')
    assert "Traceback" not in err


def test_partial_failure_splits_the_streams(
    ip: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    c.kubectl("run a --image=nginx")
    ip.run_line_magic("kubectl", "delete pod a missing")
    assert capsys.readouterr() == (
        'pod "a" deleted\n',
        'Error from server (NotFound): pods "missing" not found\n',
    )


def test_unknown_command_prints_kubectls_suggestion(
    ip: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    ip.run_line_magic("kubectl", "gte pods")
    assert capsys.readouterr() == (
        "",
        'error: unknown command "gte" for "kubectl"\n\nDid you mean this?\n\tget\n',
    )


def test_empty_line_magic_asks_for_a_command(
    ip: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    ip.run_line_magic("kubectl", "")
    assert capsys.readouterr() == ("", 'error: a command is required, e.g. "kubectl get pods"\n')


def test_bare_cell_runs_each_line_as_a_command(
    ip: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (
        "# a deployment and its service\n"
        "kubectl create deployment web --image=nginx \\\n"
        "    --port=8080\n"
        "\n"
        "get service web\n"
        "expose deployment web --port=80 --target-port=8080\n"
    )
    result = ip.run_cell("%%kubectl\n" + body)
    assert result.success
    assert capsys.readouterr() == (
        "deployment.apps/web created\nservice/web exposed\n",
        'Error from server (NotFound): services "web" not found\n',
    )
    assert c.get("service", "web")["spec"]["ports"][0]["targetPort"] == 8080


def test_a_command_reading_stdin_takes_the_rest_of_the_cell(
    ip: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    services = c.kubectl("get services") + "\n"
    ip.run_cell("%%kubectl\nget services\napply -f -\n" + DEPLOYMENT)
    assert capsys.readouterr() == (services + "deployment.apps/web created\n", "")
    assert c.get("deployment", "web")["spec"]["replicas"] == 2


def test_cell_body_without_stdin_is_a_usage_error(
    ip: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(UsageError, match=r'read only as the standard input of "-f -"'):
        ip.run_cell_magic("kubectl", "create deployment web --image=nginx", "get pods\n")
    assert c.list("deployments") == []
    result = ip.run_cell("%%kubectl apply -f web.yaml\n" + DEPLOYMENT)
    assert isinstance(result.error_in_exec, UsageError)
    assert "Traceback" not in capsys.readouterr().err


def test_cell_with_a_command_and_blank_body_runs_the_command(
    ip: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    ip.run_cell_magic("kubectl", "get svc", "\n")
    assert capsys.readouterr().out == c.kubectl("get svc") + "\n"


def test_commands_of_a_script() -> None:
    assert commands("", "\n# only comments\n\n") == [""]
    assert commands("", "get pods \\") == ["get pods"]
    assert commands("  ", "get pods\n  get svc  \n") == ["get pods", "get svc"]


def test_the_line_is_not_expanded(
    ip: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    ip.user_ns["x"] = "expanded"
    result = ip.run_cell("%kubectl annotate service kubernetes note='{x} $x {{x}}'")
    assert result.success
    assert capsys.readouterr() == ("service/kubernetes annotated\n", "")
    annotations = c.get("service", "kubernetes")["metadata"]["annotations"]
    assert annotations["note"] == "{x} $x {{x}}"


def test_hostile_annotation_round_trips_literally(
    ip: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "hostile", "annotations": {"note": HOSTILE}},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]},
    }
    ip.run_cell_magic("kubectl", "apply -f -", yaml.safe_dump(manifest))
    assert capsys.readouterr() == ("service/hostile created\n", "")
    assert c.get("service", "hostile")["metadata"]["annotations"]["note"] == HOSTILE
    ip.run_line_magic("kubectl", "get service hostile -o yaml")
    out, err = capsys.readouterr()
    assert err == ""
    assert out == c.kubectl("get service hostile -o yaml") + "\n"
    assert yaml.safe_load(out)["metadata"]["annotations"]["note"] == HOSTILE
    assert "<script>" in out
    assert "&lt;" not in out


def test_use_returns_the_cluster_and_current_gives_it_back(ip: InteractiveShell) -> None:
    mine = Cluster(seed=3)
    assert kubenet_nb.use(mine) is mine
    assert kubenet_nb.current() is mine
    other = kubenet_nb.use(Cluster(seed=4))
    assert kubenet_nb.current() is other


def test_the_magic_follows_use(ip: InteractiveShell, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = Cluster(), Cluster()
    kubenet_nb.use(first)
    ip.run_line_magic("kubectl", "create deployment one --image=nginx")
    kubenet_nb.use(second)
    ip.run_line_magic("kubectl", "create deployment two --image=nginx")
    capsys.readouterr()
    assert [d["metadata"]["name"] for d in first.list("deployments")] == ["one"]
    assert [d["metadata"]["name"] for d in second.list("deployments")] == ["two"]


def test_a_default_cluster_is_made_on_first_use(
    ip: InteractiveShell, capsys: pytest.CaptureFixture[str]
) -> None:
    ip.run_line_magic("kubectl", "create deployment web --image=nginx")
    assert capsys.readouterr() == ("deployment.apps/web created\n", "")
    made = kubenet_nb.current()
    assert isinstance(made, Cluster)
    assert made is kubenet_nb.current()
    assert made.get("deployment", "web")["metadata"]["name"] == "web"
    assert made.settings.node_names() == Cluster().settings.node_names()


@pytest.mark.parametrize("wrong", [Cluster, None, "kind"])
def test_use_refuses_what_is_not_a_cluster(wrong: object) -> None:
    with pytest.raises(
        TypeError, match=r"^use\(\) takes a kubenet_nb Cluster, e\.g\. use\(Cluster"
    ):
        kubenet_nb.use(wrong)  # type: ignore[arg-type]


def test_unload_removes_the_magics(ip: InteractiveShell) -> None:
    assert ip.find_line_magic("kubectl") is not None
    assert ip.find_cell_magic("kubectl") is not None
    ip.run_line_magic("unload_ext", "kubenet_nb")
    assert ip.find_line_magic("kubectl") is None
    assert ip.find_cell_magic("kubectl") is None
    with pytest.raises(UsageError, match="Line magic function `%kubectl` not found"):
        ip.run_line_magic("kubectl", "get nodes")
    ip.run_line_magic("load_ext", "kubenet_nb")
    assert ip.find_line_magic("kubectl") is not None


def test_importing_the_package_does_not_import_ipython() -> None:
    code = "import sys, kubenet_nb; print('IPython' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout == "False\n"
