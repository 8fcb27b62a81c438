"""Notebook 07's exercise: the queries a pod's search path costs, counted from the cluster."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.exercises.dns import SEARCH_QUERIES, search_queries


@pytest.fixture
def cluster() -> Cluster:
    """Notebook 07's set-up: pod client in default, Service cart in namespace shop."""
    c = Cluster(seed=7)
    c.kubectl("run client --image=nicolaka/netshoot -- sleep infinity")
    c.kubectl("create namespace shop")
    c.kubectl("create deployment cart -n shop --image=nginx --port=80")
    c.kubectl("expose deployment cart -n shop --port=80")
    return c


def test_right_answer_counts_the_search_list(cluster: Cluster) -> None:
    # kubelet pkg/kubelet/network/dns/dns.go: ClusterFirst pods search <ns>.svc.<zone> first,
    # with options ndots:5; glibc tries the search list first for a name with fewer dots, so
    # cart.shop costs cart.shop.default.svc.cluster.local (NXDOMAIN), then cart.shop.svc...
    feedback = SEARCH_QUERIES.check(cluster, 2)
    assert feedback.correct is True
    assert "cart.shop has 1 dot, fewer than ndots:5" in feedback.explanation
    assert (
        "cart.shop.default.svc.cluster.local. (NXDOMAIN), then cart.shop.svc.cluster.local. "
        "(NOERROR): 2 queries" in feedback.explanation
    )
    cart_ip = cluster.get("svc", "cart", "shop")["spec"]["clusterIP"]
    assert feedback.explanation.endswith(f"answered {cart_ip}.")


@pytest.mark.parametrize("answer", ["2", " 2 ", 2.0])
def test_other_spellings_of_the_number(cluster: Cluster, answer: object) -> None:
    assert SEARCH_QUERIES.check(cluster, answer).correct is True


@pytest.mark.parametrize("answer", [1, 4, "two", True, 2.5, "2 queries"])
def test_wrong_answers_explain(cluster: Cluster, answer: object) -> None:
    feedback = SEARCH_QUERIES.check(cluster, answer)
    assert feedback.correct is False
    assert "2 queries" in feedback.explanation


def test_unanswered_gives_nothing_away(cluster: Cluster) -> None:
    for answer in (..., None):
        feedback = SEARCH_QUERIES.check(cluster, answer)
        assert feedback.correct is None
        assert feedback.message == "How many DNS queries does pod client send to resolve cart.shop?"
        assert "NXDOMAIN" not in str(feedback)


def test_answer_follows_the_cluster_without_the_service() -> None:
    c = Cluster(seed=7)
    c.kubectl("run client --image=nicolaka/netshoot -- sleep infinity")
    feedback = SEARCH_QUERIES.check(c, 4)
    assert feedback.correct is True
    assert feedback.explanation.endswith(
        "then cart.shop. (NXDOMAIN): 4 queries; nothing answered (NXDOMAIN)."
    )


def test_missing_pod_is_explained() -> None:
    feedback = SEARCH_QUERIES.check(Cluster(), 2)
    assert feedback.correct is False
    assert (
        feedback.explanation
        == "There is no pod client in namespace default: run the notebook again."
    )


def test_trailing_dot_and_many_dots(cluster: Cluster) -> None:
    # glibc resolv/res_query.c __res_context_search: a trailing dot means one query as written;
    # a name with at least ndots dots is asked as written first.
    absolute = search_queries("cart.shop.svc.cluster.local.", "client")
    assert absolute.check(cluster, 1).correct is True
    assert absolute.check(cluster, 1).explanation.startswith(
        "cart.shop.svc.cluster.local. ends with a dot, so the resolver asks it once, as written."
    )
    srv_name = search_queries("_http._tcp.cart.shop.svc.cluster.local", "client")
    assert "has 6 dots, at least ndots:5" in srv_name.check(cluster, 1).explanation


def test_a_pod_in_another_namespace() -> None:
    c = Cluster(seed=7)
    c.kubectl("create namespace shop")
    c.kubectl("run client -n shop --image=nicolaka/netshoot -- sleep infinity")
    c.kubectl("create deployment cart -n shop --image=nginx --port=80")
    c.kubectl("expose deployment cart -n shop --port=80")
    exercise = search_queries("cart", "client", namespace="shop")
    assert exercise.check(c, 1).correct is True
