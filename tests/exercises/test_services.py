"""The Services exercise: which pods a selector picks, read from the EndpointSlices."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.exercises.services import SHOP_BACKENDS, SHOP_MANIFEST


@pytest.fixture
def shop() -> Cluster:
    c = Cluster(seed=3)
    c.kubectl("apply -f -\n" + SHOP_MANIFEST)
    return c


@pytest.mark.parametrize(
    "answer",
    [
        {"shop-web-1", "shop-web-2"},
        ["shop-web-2", "shop-web-1"],
        ("shop-web-1", "shop-web-2"),
        frozenset({"shop-web-1", "shop-web-2"}),
    ],
)
def test_right(shop: Cluster, answer: object) -> None:
    # a selector matches pods that carry all its labels, extra labels notwithstanding
    # (kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors)
    feedback = SHOP_BACKENDS.check(shop, answer)
    assert feedback.correct is True
    assert "app=shop,tier=web" in feedback.explanation
    assert "shop-web-1, shop-web-2" in feedback.explanation


@pytest.mark.parametrize(
    "answer",
    [
        {"shop-web-1"},
        {"shop-web-1", "shop-web-2", "shop-db"},
        {"shop-web-1", "shop-web-2", "blog-web"},
        "shop-web-1",
        42,
    ],
)
def test_wrong(shop: Cluster, answer: object) -> None:
    feedback = SHOP_BACKENDS.check(shop, answer)
    assert feedback.correct is False
    assert "shop-web-1, shop-web-2" in feedback.explanation


def test_unanswered(shop: Cluster) -> None:
    feedback = SHOP_BACKENDS.check(shop, ...)
    assert feedback.correct is None
    assert "shop-web" not in str(feedback)


def test_the_answer_follows_the_labels(shop: Cluster) -> None:
    shop.kubectl("label pod shop-db tier=web --overwrite")
    assert SHOP_BACKENDS.check(shop, {"shop-web-1", "shop-web-2", "shop-db"}).correct is True
    shop.kubectl("label pod shop-web-2 app-")
    assert SHOP_BACKENDS.check(shop, {"shop-web-1", "shop-db"}).correct is True


def test_without_the_service() -> None:
    feedback = SHOP_BACKENDS.check(Cluster(), {"shop-web-1"})
    assert feedback.correct is False
    assert "There is no Service shop" in feedback.explanation


def test_the_manifest_warns_about_nothing(shop: Cluster) -> None:
    assert shop.last_warnings == []
    assert [p["metadata"]["name"] for p in shop.list("pods")] == [
        "blog-web",
        "shop-db",
        "shop-web-1",
        "shop-web-2",
    ]
