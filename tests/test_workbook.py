"""The public face: `kubenet_nb.Cluster` and `KubenetError` as notebooks use them."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster, KubenetError
from kubenet_nb.kubectl.main import run_kubectl


def test_kubectl_text_prints_as_a_terminal_shows_it() -> None:
    c = Cluster()
    raw = run_kubectl(c.control_plane, "get nodes")
    assert raw.endswith("\n")
    assert c.kubectl("get nodes") == raw.removesuffix("\n")


def test_the_seed_commands_verbatim() -> None:
    c = Cluster()
    assert c.kubectl("create deployment webapp1 --image=nginx --replicas=3 --port=80") == (
        "deployment.apps/webapp1 created"
    )
    assert c.kubectl("expose deploy webapp1 --port=80") == "service/webapp1 exposed"
    svc = c.get("service", "webapp1")
    # kubectl expose: selector from spec.selector.matchLabels, targetPort = port, labels copied
    # from the Deployment (kubernetes/kubectl pkg/cmd/expose/expose.go).
    assert svc["spec"]["selector"] == {"app": "webapp1"}
    assert svc["spec"]["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 80}]
    assert svc["metadata"]["labels"] == {"app": "webapp1"}
    assert len(c.list("pods", selector="app=webapp1")) == 3


def test_refusals_raise_kubenet_errors_in_kubectls_words() -> None:
    c = Cluster()
    with pytest.raises(KubenetError) as refused:
        c.kubectl("get deploy nope")
    assert str(refused.value) == ('Error from server (NotFound): deployments.apps "nope" not found')
