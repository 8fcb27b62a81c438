"""Notebook 03's task: the misspelt selector of Service shop, judged from its EndpointSlices."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.exercises.selector_task import WEB_PODS, selector_task
from kubenet_nb.exercises.services import SHOP_SERVICE

ONLY_APP = """apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector:
    app: shop
  ports:
  - port: 80
    targetPort: 80
"""


@pytest.fixture
def broken() -> Cluster:
    c = Cluster(seed=3)
    selector_task().setup(c)
    return c


def test_the_unsolved_state_fails_and_points_at_the_labels(broken: Cluster) -> None:
    feedback = selector_task().check(broken)
    assert feedback.correct is False
    assert feedback.message == "Service shop does not reach shop-web-1, shop-web-2."
    # a pod must carry every label of the selector (core/v1 ServiceSpec.selector)
    assert "Its selector is app=shop,teir=web" in feedback.explanation
    assert "shop-web-1 has no label teir" in feedback.explanation


def test_the_documented_solution_passes(broken: Cluster) -> None:
    task = selector_task()
    out = task.solve(broken)
    assert out.entries[-1][1] == "service/shop configured"
    feedback = task.check(broken)
    assert feedback.correct is True
    assert feedback.message == "Service shop reaches shop-web-1 and shop-web-2, and no other pod."
    # kubectl apply removed the misspelt key: it was in the last applied configuration
    assert broken.get("service", "shop")["spec"]["selector"] == {"app": "shop", "tier": "web"}


def test_dropping_the_key_lets_the_database_in(broken: Cluster) -> None:
    broken.kubectl("apply -f -\n" + ONLY_APP)
    feedback = selector_task().check(broken)
    assert feedback.correct is False
    assert feedback.message == "Service shop also reaches shop-db."
    assert "shop-db (app=shop,tier=db)" in feedback.explanation
    assert "tier=web" in feedback.explanation


def test_a_selector_removed_altogether_is_named(broken: Cluster) -> None:
    service = broken.get("service", "shop")
    del service["spec"]["selector"]
    broken.update(service)
    assert selector_task().check(broken).message == "Service shop has no selector."


def test_labelling_the_pods_with_the_misspelt_key_also_works(broken: Cluster) -> None:
    # Judged by the EndpointSlices: any change that makes shop reach exactly its web pods.
    for pod in WEB_PODS:
        broken.kubectl(f"label pod {pod} teir=web")
    assert selector_task().check(broken).correct is True


def test_a_missing_service_or_pod_asks_for_the_setup() -> None:
    c = Cluster(seed=3)
    assert selector_task().check(c).message == "There is no Service shop."
    selector_task().setup(c)
    c.delete("pod", "shop-web-2", grace_period=0)
    feedback = selector_task().check(c)
    assert feedback.message == "Pod shop-web-2 is gone."
    assert "set-up" in feedback.explanation


def test_setup_again_after_solving_breaks_the_same_service() -> None:
    # Running the set-up cell again starts over: its apply reconfigures the fixed Service shop.
    c = Cluster(seed=3)
    task = selector_task()
    task.setup(c)
    task.solve(c)
    assert task.check(c).correct is True
    out = task.setup(c)
    assert out.entries[0][1].splitlines()[0] == "service/shop configured"
    assert task.check(c).correct is False
    assert SHOP_SERVICE.format(tier="teir") in out.entries[0][0]
