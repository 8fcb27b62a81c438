"""What `kubectl apply` sends for an object that exists: a three-way strategic merge patch.

As k8s.io/kubectl pkg/cmd/apply/patcher.go @ v0.33.1: `original` is the live object's
`kubectl.kubernetes.io/last-applied-configuration`, `modified` is the manifest carrying its own
JSON in that annotation (util.GetModifiedConfiguration), `current` is the live object. An empty
patch means `unchanged` and nothing is sent; otherwise the server applies the patch to the live
object (`configured`). Fields nobody applied (a Service's clusterIP, defaults, status) are in
neither `original` nor `modified`, so they are kept.
"""

from __future__ import annotations

import json
from typing import Any

from kubenet_nb.api.patch import apply_strategic_patch, kind_schema, three_way_patch
from kubenet_nb.api.well_known import LAST_APPLIED_ANNOTATION
from kubenet_nb.cluster.store import clone

__all__ = ["go_json", "patched_for_apply", "with_last_applied"]


def go_json(value: Any) -> str:
    """json.Marshal's text: compact, sorted map keys, HTML characters escaped."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def with_last_applied(obj: dict) -> dict:
    """The manifest with its own JSON in the last-applied annotation (GetModifiedConfiguration:
    the JSON is taken with the other annotations, `{}` when there are none, and ends in a
    newline as json.Encoder writes it)."""
    manifest = clone(obj)
    meta = manifest.setdefault("metadata", {})
    annotations = dict(meta.get("annotations") or {})
    annotations.pop(LAST_APPLIED_ANNOTATION, None)
    meta["annotations"] = annotations
    recorded = go_json(manifest) + "\n"
    meta["annotations"] = {**annotations, LAST_APPLIED_ANNOTATION: recorded}
    return manifest


def patched_for_apply(live: dict, modified: dict) -> dict | None:
    """The object after the server applies kubectl's patch; None when the patch is empty."""
    recorded = (live["metadata"].get("annotations") or {}).get(LAST_APPLIED_ANNOTATION)
    try:
        original = json.loads(recorded) if recorded else {}
    except ValueError:
        original = {}
    original = original if isinstance(original, dict) else {}
    schema = kind_schema(live["kind"])
    patch = three_way_patch(original, modified, live, schema)
    if not patch:
        return None
    return apply_strategic_patch(live, patch, schema)
