"""Notebook 08's exercise: the probability on one KUBE-SVC → KUBE-SEP jump, read from the rules."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kubenet_nb import Cluster
from kubenet_nb.exercises.kube_proxy import RULE_PROBABILITY, endpoint_rules, rule_probability


def web(replicas: int, *flags: str) -> Cluster:
    """A cluster with Deployment web (`replicas` pods) behind Service web."""
    c = Cluster(seed=8)
    c.kubectl(f"create deployment web --image=nginx --replicas={replicas} --port=80")
    c.kubectl(" ".join(("expose deployment web --port=80", *flags)))
    return c


@pytest.fixture(scope="module")
def six() -> Cluster:
    return web(6)


def test_endpoint_rules_are_read_from_iptables_save(six: Cluster) -> None:
    # proxier.go computeProbability: rule i (0-based) of n gets 1/(n-i) written "%0.10f", the
    # last none; iptables-save prints the kernel's 31-bit value with 11 decimals
    # (libxt_statistic.c: lround(0x80000000 * p), printed "%.11f").
    rules = endpoint_rules(six, "web", "kind-worker")
    assert [p for _chain, p in rules] == [
        0.16666666651,
        0.20000000019,
        0.25,
        0.33333333349,
        0.5,
        1.0,
    ]
    assert all(chain.startswith("KUBE-SEP-") for chain, _p in rules)
    assert rules == endpoint_rules(six, "web", "kind-worker2")


@pytest.mark.parametrize("answer", [0.25, "0.25", "1/4", Fraction(1, 4), "0.25000000000", 1 / 4])
def test_right_answer(six: Cluster, answer: object) -> None:
    assert RULE_PROBABILITY.check(six, answer).correct is True


@pytest.mark.parametrize("answer", [1 / 6, "1/3", 0.5, 1, "a quarter", "1/0", True, None])
def test_wrong_or_unreadable_answers(six: Cluster, answer: object) -> None:
    feedback = RULE_PROBABILITY.check(six, answer)
    assert feedback.correct is (None if answer is None else False)


def test_explanation_shows_the_conditional_chances(six: Cluster) -> None:
    explanation = RULE_PROBABILITY.check(six, 1 / 6).explanation
    assert explanation == (
        "With 6 endpoints the rules carry 1/6, 1/5, 1/4, 1/3, 1/2 and, last, no statistic match "
        "(1): rule i of n gets 1/(n-i+1). Rule 3 is reached with chance 2/3, and taken with 1/4 "
        "(printed 0.25000000000), so its endpoint gets 1/6 of the connections, as every other "
        "one does."
    )


def test_unanswered_gives_nothing_away(six: Cluster) -> None:
    feedback = RULE_PROBABILITY.check(six, ...)
    assert feedback.correct is None
    assert "1/4" not in str(feedback)
    assert feedback.message == (
        "On kind-worker, what --probability is on jump number 3 from web's KUBE-SVC chain to a "
        "KUBE-SEP chain?"
    )


def test_answer_follows_the_number_of_endpoints() -> None:
    assert RULE_PROBABILITY.check(web(4), 0.5).correct is True
    assert RULE_PROBABILITY.check(web(3), 1).correct is True
    too_few = RULE_PROBABILITY.check(web(2), 0.5)
    assert too_few.correct is False
    assert too_few.explanation == "web's KUBE-SVC chain on kind-worker has only 2 endpoint rules."


def test_session_affinity_checks_are_not_counted() -> None:
    # proxier.go writeServiceToEndpointRules: with ClientIP affinity one `recent --rcheck` jump
    # per endpoint comes before the probability rules.
    sticky = web(6, "--session-affinity=ClientIP")
    assert len(endpoint_rules(sticky, "web", "kind-worker")) == 6
    assert RULE_PROBABILITY.check(sticky, "1/4").correct is True


def test_missing_service_is_explained() -> None:
    feedback = RULE_PROBABILITY.check(Cluster(), 0.25)
    assert feedback.correct is False
    assert feedback.explanation == "There is no Service web: run the notebook again."


def test_other_rule_and_node() -> None:
    first = rule_probability("web", "kind-control-plane", 1)
    assert first.check(web(5), "1/5").correct is True
