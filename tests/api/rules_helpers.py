"""Shared helpers of the kind-rules tests: refusals through the public face change nothing;
what the API server stored on create, before any controller wrote to it."""

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


def as_stored(cluster: Cluster, obj: dict) -> dict:
    """Create `obj` and return it as the API server stored it (defaulted, its status zeroed by
    the strategy), seen by a watch before controllers write their status."""
    seen: list[dict] = []

    def first(event: object) -> None:
        added = getattr(event, "obj", None)
        if getattr(event, "type", "") == "ADDED" and added is not None and not seen:
            if (
                added["kind"] == obj["kind"]
                and added["metadata"]["name"] == obj["metadata"]["name"]
            ):
                seen.append(copy.deepcopy(added))

    cluster.control_plane.store.watch(first)
    cluster.create(copy.deepcopy(obj))
    return seen[0]
