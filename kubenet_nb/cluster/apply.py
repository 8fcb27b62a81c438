"""What `kubectl apply` sends: the manifest merged into the live object, three-way.

Fields the manifest sets win; fields the previous apply set (recorded in the
`kubectl.kubernetes.io/last-applied-configuration` annotation) but this one drops are removed;
fields nobody applied (a Service's allocated clusterIP and nodePorts, status) are kept. Lists
merge by their key where kubectl's strategic merge does (containers by name, ports by port
number and protocol), otherwise the manifest's list replaces the live one.
"""

from __future__ import annotations

import json
from typing import Any

from kubenet_nb.api.well_known import LAST_APPLIED_ANNOTATION
from kubenet_nb.cluster.store import clone

__all__ = ["merge_for_apply", "with_last_applied"]

_MERGE_KEYS = {
    "containers": ("name",),
    "initContainers": ("name",),
    "ports": ("port", "protocol"),
    "env": ("name",),
    "volumes": ("name",),
    "volumeMounts": ("mountPath",),
}


def _go_json(value: Any) -> str:
    """json.Marshal's text: compact, sorted map keys, HTML characters escaped."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def with_last_applied(obj: dict) -> dict:
    """The manifest with its own JSON recorded in the last-applied annotation, as kubectl does."""
    manifest = clone(obj)
    meta = manifest.setdefault("metadata", {})
    annotations = dict(meta.get("annotations") or {})
    annotations.pop(LAST_APPLIED_ANNOTATION, None)
    recorded = clone(manifest)
    if annotations:
        recorded["metadata"]["annotations"] = annotations
    else:
        recorded["metadata"].pop("annotations", None)
    annotations[LAST_APPLIED_ANNOTATION] = _go_json(recorded) + "\n"
    meta["annotations"] = annotations
    return manifest


def merge_for_apply(live: dict, manifest: dict) -> dict:
    """The object to PUT: live state, minus what was applied before and is gone, plus manifest."""
    previous_text = live["metadata"].get("annotations", {}).get(LAST_APPLIED_ANNOTATION)
    previous = json.loads(previous_text) if previous_text else {}
    return _merge(live, previous, manifest, "")


def _merge(live: Any, previous: Any, manifest: Any, key: str) -> Any:
    if isinstance(manifest, dict) and isinstance(live, dict):
        previous = previous if isinstance(previous, dict) else {}
        result = {
            k: clone(v)
            for k, v in live.items()
            if k in manifest or k not in previous or k == "status"
        }
        for k, v in manifest.items():
            result[k] = _merge(live.get(k), previous.get(k), v, k)
        return result
    if isinstance(manifest, list) and isinstance(live, list) and key in _MERGE_KEYS:
        return _merge_list(
            live, previous if isinstance(previous, list) else [], manifest, _MERGE_KEYS[key]
        )
    return clone(manifest)


def _merge_list(live: list, previous: list, manifest: list, fields: tuple[str, ...]) -> list:
    def identity(item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        return tuple(item.get(f, "TCP" if f == "protocol" else None) for f in fields)

    live_by_key = {identity(item): item for item in live}
    previous_by_key = {identity(item): item for item in previous}
    return [
        _merge(live_by_key.get(identity(item)), previous_by_key.get(identity(item)), item, "")
        for item in manifest
    ]
