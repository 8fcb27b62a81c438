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
    # with options ndots:5; musl (netshoot is Alpine) tries the search list first for a name
    # with fewer dots, asking A and AAAA for each (musl src/network/lookup_name.c @ v1.2.5
    # name_from_dns_search, name_from_dns), so cart.shop costs two names, four queries.
    feedback = SEARCH_QUERIES.check(cluster, 4)
    assert feedback.correct is True
    assert "cart.shop has 1 dot, fewer than ndots:5" in feedback.explanation
    assert "getaddrinfo (musl) sends an A and an AAAA query" in feedback.explanation
    assert (
        "cart.shop.default.svc.cluster.local. (A NXDOMAIN, AAAA NXDOMAIN), then "
        "cart.shop.svc.cluster.local. (A NOERROR, AAAA NOERROR): 4 queries" in feedback.explanation
    )
    cart_ip = cluster.get("svc", "cart", "shop")["spec"]["clusterIP"]
    assert feedback.explanation.endswith(f"answered {cart_ip}.")


@pytest.mark.parametrize("answer", ["4", " 4 ", 4.0])
def test_other_spellings_of_the_number(cluster: Cluster, answer: object) -> None:
    assert SEARCH_QUERIES.check(cluster, answer).correct is True


@pytest.mark.parametrize("answer", [1, 2, "four", True, 4.5, "4 queries"])
def test_wrong_answers_explain(cluster: Cluster, answer: object) -> None:
    feedback = SEARCH_QUERIES.check(cluster, answer)
    assert feedback.correct is False
    assert "4 queries" in feedback.explanation


def test_unanswered_gives_nothing_away(cluster: Cluster) -> None:
    for answer in (..., None):
        feedback = SEARCH_QUERIES.check(cluster, answer)
        assert feedback.correct is None
        assert feedback.message == "How many DNS queries does pod client send to resolve cart.shop?"
        assert "NXDOMAIN" not in str(feedback)


def test_answer_follows_the_cluster_without_the_service() -> None:
    c = Cluster(seed=7)
    c.kubectl("run client --image=nicolaka/netshoot -- sleep infinity")
    # The last name leaves the cluster zone: Docker's DNS reaches no resolver, SERVFAIL.
    feedback = SEARCH_QUERIES.check(c, 8)
    assert feedback.correct is True
    assert feedback.explanation.endswith(
        "then cart.shop. (A SERVFAIL, AAAA SERVFAIL): 8 queries; nothing answered (SERVFAIL)."
    )


def test_missing_pod_is_explained() -> None:
    feedback = SEARCH_QUERIES.check(Cluster(), 4)
    assert feedback.correct is False
    assert (
        feedback.explanation
        == "There is no pod client in namespace default: run the notebook again."
    )


def test_trailing_dot_and_many_dots(cluster: Cluster) -> None:
    # musl src/network/lookup_name.c @ v1.2.5 name_from_dns_search: a trailing dot, or at
    # least ndots dots, means the name as written only (one A and one AAAA query).
    absolute = search_queries("cart.shop.svc.cluster.local.", "client")
    assert absolute.check(cluster, 2).correct is True
    assert absolute.check(cluster, 2).explanation.startswith(
        "cart.shop.svc.cluster.local. ends with a dot, so the resolver asks it once, as written."
    )
    srv_name = search_queries("_http._tcp.cart.shop.svc.cluster.local", "client")
    assert srv_name.check(cluster, 2).correct is True
    assert (
        "has 6 dots, at least ndots:5: musl asks it as written only, without the search list"
        in srv_name.check(cluster, 2).explanation
    )


def test_a_glibc_pod_tries_the_search_list_after_the_name() -> None:
    # glibc resolv/res_query.c __res_context_search (glibc 2.36): at least ndots dots, the name
    # as is first, then the search list; nginx is Debian-based.
    c = Cluster(seed=7)
    c.kubectl("run client --image=nginx")
    feedback = search_queries("a.b.c.d.e.f", "client").check(c, 8)
    assert feedback.correct is True
    assert "has 5 dots, at least ndots:5: it is asked as is first" in feedback.explanation
    assert "getaddrinfo (glibc)" in feedback.explanation


def test_a_pod_in_another_namespace() -> None:
    c = Cluster(seed=7)
    c.kubectl("create namespace shop")
    c.kubectl("run client -n shop --image=nicolaka/netshoot -- sleep infinity")
    c.kubectl("create deployment cart -n shop --image=nginx --port=80")
    c.kubectl("expose deployment cart -n shop --port=80")
    exercise = search_queries("cart", "client", namespace="shop")
    assert exercise.check(c, 2).correct is True
