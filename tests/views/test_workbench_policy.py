"""The workbench's NetworkPolicy form: what each template writes, and what applying it does to
the reachability matrix, the picture and the log; refusals in kubectl's words; delete."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
import yaml

from kubenet_nb import Cluster
from kubenet_nb.api.well_known import NAMESPACE_NAME_LABEL
from kubenet_nb.views.workbench import Workbench
from kubenet_nb.views.workbench.display import matrix_html
from kubenet_nb.views.workbench.log import Entry
from kubenet_nb.views.workbench.policy import PolicyForm, label_selector

KINDS = ("networkpolicies", "deployments", "pods", "services", "events")


def state(c: Cluster) -> dict[str, list[dict]]:
    return {kind: c.list(kind, None) for kind in KINDS}


def last(wb: Workbench) -> Entry:
    return wb.history.entries[0][0]


def deploy(wb: Workbench, name: str, replicas: int) -> None:
    wb.deploy.name.value = name
    wb.deploy.replicas.value = replicas
    wb.deploy.create.click()


def choose(wb: Workbench, template: str, **fields: str) -> None:
    wb.policies.template.value = template
    for name, value in fields.items():
        getattr(wb.policies, name).value = value


def pods(c: Cluster, selector: str, namespace: str = "default") -> list[str]:
    return sorted(
        f"{namespace}/{p['metadata']['name']}" for p in c.list("pods", namespace, selector)
    )


def allowed(wb: Workbench, src: str, dst: str) -> bool:
    return bool(wb.matrix.at[src, dst])


@pytest.fixture
def wb() -> Workbench:
    """default: web (2 pods, app=web) and db (1 pod, app=db); other: one pod app=probe."""
    bench = Workbench(Cluster())
    deploy(bench, "web", 2)
    deploy(bench, "db", 1)
    bench.cluster.kubectl("create namespace other")
    bench.cluster.kubectl("run probe --image=nginx -n other --labels=app=probe")
    bench.refresh()
    return bench


# -- what the form writes ------------------------------------------------------------------


def test_the_default_template_is_default_deny_ingress() -> None:
    form = PolicyForm("default")
    # kubernetes/website content/en/docs/concepts/services-networking/network-policies.md
    # ("Default deny all ingress traffic"), with policyTypes written out.
    assert form.manifest() == {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "default-deny-ingress"},
        "spec": {"podSelector": {}, "policyTypes": ["Ingress"]},
    }
    assert yaml.safe_load(form.manifest_text.value) == form.manifest()
    assert form.stdin().endswith("  - Ingress\n")


def test_each_template_writes_its_policy() -> None:
    form = PolicyForm("shop")
    form.pods.value = "app=web"
    form.template.value = "deny-egress"
    spec = form.manifest()["spec"]
    assert spec == {"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Egress"]}
    assert form.manifest()["metadata"] == {"name": "default-deny-egress", "namespace": "shop"}
    assert "DNS included" in form.hint.value
    form.template.value, form.source.value = "from-namespace", "other"
    assert form.manifest()["spec"]["ingress"] == [
        {"from": [{"namespaceSelector": {"matchLabels": {NAMESPACE_NAME_LABEL: "other"}}}]}
    ]
    form.template.value, form.peer.value = "from-pods", "role=client"
    assert form.manifest()["spec"]["ingress"] == [
        {"from": [{"podSelector": {"matchLabels": {"role": "client"}}}]}
    ]
    form.template.value = "dns-egress"
    spec = form.manifest()["spec"]
    assert spec["policyTypes"] == ["Egress"]
    assert spec["egress"] == [
        {
            "to": [
                {
                    "namespaceSelector": {"matchLabels": {NAMESPACE_NAME_LABEL: "kube-system"}},
                    "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
                }
            ],
            "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
        }
    ]
    form.name.value = "mine"
    assert yaml.safe_load(form.manifest_text.value)["metadata"]["name"] == "mine"


def test_only_the_fields_a_template_uses_show() -> None:
    form = PolicyForm("default")
    shown = {}
    for template in ("deny-ingress", "from-namespace", "from-pods"):
        form.template.value = template
        shown[template] = (form.source.layout.display, form.peer.layout.display)
    assert shown == {
        "deny-ingress": ("none", "none"),
        "from-namespace": (None, "none"),
        "from-pods": ("none", None),
    }


def test_labels_typed_become_a_selector() -> None:
    assert label_selector("") == {}
    assert label_selector(" app = web ,tier=db") == {"matchLabels": {"app": "web", "tier": "db"}}
    assert label_selector("canary") == {
        "matchExpressions": [{"key": "canary", "operator": "Exists"}]
    }


def test_delete_names_the_chosen_policy_in_the_namespace() -> None:
    form = PolicyForm("shop")
    form.policy.options = [("deny", "deny")]
    form.policy.value = "deny"
    assert form.delete_command() == "delete networkpolicy deny -n shop"


# -- applying templates ---------------------------------------------------------------------


def test_the_matrix_starts_all_allowed_over_the_user_namespaces(wb: Workbench) -> None:
    everyone = pods(wb.cluster, "app") + pods(wb.cluster, "app", "other")
    assert list(wb.matrix.index) == sorted(everyone)
    assert wb.matrix.to_numpy().all()
    assert "12 of 12 new connections allowed on 80/TCP" in wb.matrix_view.value


def test_default_deny_ingress_empties_the_namespaces_columns(wb: Workbench) -> None:
    # kubernetes/kubernetes test/e2e/network/netpol/network_policy.go @ v1.33.0 "should
    # support a 'default-deny-ingress' policy": nothing reaches x, x still reaches out.
    wb.policies.apply.click()
    entry = last(wb)
    assert entry.says.startswith("$ kubectl apply -f - <<EOF\napiVersion: networking.k8s.io/v1\n")
    assert entry.output == "networkpolicy.networking.k8s.io/default-deny-ingress created"
    inside, outside = pods(wb.cluster, "app"), pods(wb.cluster, "app", "other")
    for dst in inside:
        for src in inside + outside:
            assert allowed(wb, src, dst) is (src == dst)
        assert allowed(wb, dst, outside[0])
    assert len(entry.reachability) == 3 * 3
    assert all(line.endswith("now dropped") for line in entry.reachability)
    assert "reachability on 80/TCP: 9 connections now dropped, 0 now allowed" in wb.log_view.value
    assert "isolated: ingress" in wb.picture.source
    assert wb.policies.policy.options == (("default-deny-ingress", "default-deny-ingress"),)


def test_default_deny_egress_empties_the_rows_and_dns_with_them(wb: Workbench) -> None:
    choose(wb, "deny-egress")
    wb.policies.apply.click()
    assert last(wb).error is None
    inside, outside = pods(wb.cluster, "app"), pods(wb.cluster, "app", "other")
    for src in inside:
        for dst in inside + outside:
            assert allowed(wb, src, dst) is (src == dst)
    assert allowed(wb, outside[0], inside[0])
    dns = wb.cluster.reachability(53, "UDP")
    coredns = pods(wb.cluster, "k8s-app=kube-dns", "kube-system")
    assert not dns.loc[inside, coredns].to_numpy().any()
    # The DNS egress template gives DNS back, UDP and TCP, and nothing else.
    choose(wb, "dns-egress")
    wb.policies.apply.click()
    assert last(wb).output == "networkpolicy.networking.k8s.io/allow-dns-egress created"
    for protocol in ("UDP", "TCP"):
        assert wb.cluster.reachability(53, protocol).loc[inside, coredns].to_numpy().all()
    assert not wb.cluster.reachability(54, "UDP").loc[inside, coredns].to_numpy().any()
    assert "(reachability on 80/TCP unchanged)" in wb.log_view.value


def test_allow_from_a_namespace(wb: Workbench) -> None:
    choose(wb, "from-namespace", pods="app=db", source="other")
    wb.policies.apply.click()
    assert last(wb).output == "networkpolicy.networking.k8s.io/allow-from-namespace created"
    (db,), webs = pods(wb.cluster, "app=db"), pods(wb.cluster, "app=web")
    (probe,) = pods(wb.cluster, "app", "other")
    assert allowed(wb, probe, db)
    assert not any(allowed(wb, web, db) for web in webs)
    assert allowed(wb, probe, webs[0])  # web is not selected
    assert "isolated: ingress" in wb.picture.source


def test_allow_from_pods_with_a_label(wb: Workbench) -> None:
    choose(wb, "from-pods", pods="app=db", peer="app=web")
    wb.policies.apply.click()
    (db,), webs = pods(wb.cluster, "app=db"), pods(wb.cluster, "app=web")
    (probe,) = pods(wb.cluster, "app", "other")
    assert all(allowed(wb, web, db) for web in webs)
    # A podSelector alone means the policy's own namespace (networking/v1 types.go @ v0.33.1).
    assert not allowed(wb, probe, db)


EDITED = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-from-web
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 5432}]
"""


def test_the_yaml_as_edited_is_applied_and_the_matrix_port_is_only_a_view(
    wb: Workbench,
) -> None:
    logged = len(wb.history.entries)
    wb.policies.matrix_port.value = 5432
    assert len(wb.history.entries) == logged
    assert "on 5432/TCP" in wb.matrix_view.value
    wb.policies.manifest_text.value = EDITED
    wb.policies.apply.click()
    assert last(wb).output == "networkpolicy.networking.k8s.io/db-from-web created"
    (db,), webs = pods(wb.cluster, "app=db"), pods(wb.cluster, "app=web")
    (probe,) = pods(wb.cluster, "app", "other")
    assert not allowed(wb, probe, db)
    assert all(allowed(wb, web, db) for web in webs)
    assert last(wb).where == "5432/TCP"
    assert last(wb).reachability == [f"{probe} → {db}: now dropped"]
    wb.policies.matrix_port.value = 80
    assert not any(allowed(wb, web, db) for web in webs)


def test_applying_the_same_policy_again_is_unchanged(wb: Workbench) -> None:
    wb.policies.apply.click()
    wb.policies.apply.click()
    assert last(wb).output == "networkpolicy.networking.k8s.io/default-deny-ingress unchanged"
    assert last(wb).reachability == []


def test_a_policy_in_another_namespace(wb: Workbench) -> None:
    other = Workbench(wb.cluster, "other")
    other.policies.apply.click()
    assert "\n  namespace: other\n" in last(other).says
    (probe,) = pods(wb.cluster, "app", "other")
    web = pods(wb.cluster, "app=web")[0]
    assert not allowed(other, web, probe)
    assert other.policies.delete_command() == "delete networkpolicy default-deny-ingress -n other"


# -- refusals and delete --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda text: "spec: [",
            # sigs.k8s.io/yaml's error through kubectl's checkErr (kubectl pkg/cmd/util/
            # helpers.go @ v0.33.1).
            "error: error parsing STDIN: error converting YAML to JSON: yaml: line 1: did not "
            "find expected node content",
        ),
        (
            lambda text: text.replace("- Ingress", "- Both"),
            # kubernetes/kubernetes pkg/apis/networking/validation/validation.go @ v1.33.0.
            'The NetworkPolicy "default-deny-ingress" is invalid: spec.policyTypes[0]: '
            'Unsupported value: "Both": supported values: "Ingress", "Egress"',
        ),
    ],
)
def test_a_refused_policy_shows_kubectls_words_and_changes_nothing(
    wb: Workbench, edit: Callable[[str], str], message: str
) -> None:
    before, matrix, picture = state(wb.cluster), wb.matrix_view.value, wb.picture.source
    wb.policies.manifest_text.value = edit(wb.policies.manifest_text.value)
    wb.policies.apply.click()
    assert last(wb).error == message
    assert state(wb.cluster) == before
    assert (wb.matrix_view.value, wb.picture.source) == (matrix, picture)
    assert last(wb).reachability == []
    escaped = message.replace("&", "&amp;").replace('"', "&quot;").replace("'", "&#x27;")
    assert escaped in wb.status_view.value
    assert escaped in wb.log_view.value


def test_a_label_the_api_refuses(wb: Workbench) -> None:
    before = state(wb.cluster)
    choose(wb, "deny-ingress", pods="app=<b>web</b>")
    wb.policies.apply.click()
    # apimachinery pkg/util/validation/validation.go @ v0.33.1 (IsValidLabelValue).
    assert last(wb).error.startswith(
        'The NetworkPolicy "default-deny-ingress" is invalid: spec.podSelector.matchLabels: '
        'Invalid value: "<b>web</b>": a valid label must be an empty string or consist of '
    )
    assert state(wb.cluster) == before
    assert "<b>web</b>" not in wb.status_view.value
    assert "<b>web</b>" not in wb.log_view.value


def test_delete_opens_the_matrix_again(wb: Workbench) -> None:
    wb.policies.apply.click()
    assert not wb.matrix.to_numpy().all()
    wb.policies.delete.click()
    entry = last(wb)
    assert entry.says == "$ kubectl delete networkpolicy default-deny-ingress"
    assert entry.output == 'networkpolicy.networking.k8s.io "default-deny-ingress" deleted'
    assert wb.matrix.to_numpy().all()
    assert all(line.endswith("now allowed") for line in entry.reachability)
    assert "isolated" not in wb.picture.source
    assert wb.policies.policy.options == ()
    before = state(wb.cluster)
    wb.policies.delete.click()
    # kubectl's delete with a resource type and no name (kubectl pkg/cmd/delete @ v0.33.1).
    assert last(wb).error == "error: resource(s) were provided, but no name was specified"
    assert state(wb.cluster) == before


def test_the_matrix_escapes_names() -> None:
    names = ["a/<b>", "a/c&d"]
    frame = pd.DataFrame([[True, False], [True, True]], index=names, columns=names, dtype=bool)
    shown = matrix_html(frame, "80/<TCP>")
    assert "<b>" not in shown
    assert "a/&lt;b&gt;" in shown
    assert "a/c&amp;d" in shown
    assert "1 of 2 new connections allowed on 80/&lt;TCP&gt;" in shown
    assert shown.count("✘") == 2  # the cell and the legend
