"""Shared helpers of the kind-rules tests: refusals through the public face change nothing."""

from __future__ import annotations

import copy

import pytest

from kubenet_nb import Cluster, KubenetError


def refusal(cluster: Cluster, obj: dict, *, update: bool = False) -> str:
    """The API server's message for a refused create (or update), after checking that the
    stored object, if any, is unchanged."""
    meta = obj["metadata"]
    namespace = meta.get("namespace", "default")
    try:
        before = cluster.get(obj["kind"], meta["name"], namespace)
    except KubenetError:
        before = None
    with pytest.raises(KubenetError) as caught:
        (cluster.update if update else cluster.create)(copy.deepcopy(obj))
    try:
        after = cluster.get(obj["kind"], meta["name"], namespace)
    except KubenetError:
        after = None
    assert after == before
    return str(caught.value)
