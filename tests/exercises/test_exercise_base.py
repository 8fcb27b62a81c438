"""The exercise checker: verdicts computed from the cluster, shown escaped."""

from __future__ import annotations

from kubenet_nb import Cluster
from kubenet_nb.exercises import Exercise

DNS_IP = Exercise(
    question="What is the ClusterIP of kube-dns?",
    expected=lambda c: c.get("svc", "kube-dns", "kube-system")["spec"]["clusterIP"],
    explanation=lambda c, ip: f"kubeadm and kind give kube-dns the tenth service IP, {ip}.",
)


def test_right_wrong_and_unanswered() -> None:
    c = Cluster(service_cidr="10.100.0.0/16")
    assert DNS_IP.check(c, "10.100.0.10").correct is True
    wrong = DNS_IP.check(c, "10.96.0.10")
    assert wrong.correct is False
    assert "10.100.0.10" in wrong.explanation
    unanswered = DNS_IP.check(c, ...)
    assert unanswered.correct is None
    assert "10.100.0.10" not in str(unanswered)


def test_feedback_html_is_escaped() -> None:
    feedback = DNS_IP.check(Cluster(), "<script>alert(1)</script>")
    assert "<script>" not in feedback._repr_html_()
    assert "&lt;script&gt;" in feedback._repr_html_()
