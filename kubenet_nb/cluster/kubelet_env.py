"""Why the kubelet cannot build a container's environment (CreateContainerConfigError).

k/k pkg/kubelet/kubelet_pods.go @ v1.33.0 `makeEnvironmentVariables`: `envFrom` first, then
`env`, in order; the first missing ConfigMap or Secret (NotFound on resource `configmap` /
`secret`) or missing key is the error, unless the reference is `optional`. Keys are looked up
in `data` only (a Secret's `stringData` is merged into `data` when it is stored).
"""

from __future__ import annotations

from kubenet_nb.cluster.kubelet_volumes import Lookup

__all__ = ["env_error"]


def _missing(kind: str, ref: dict, namespace: str, lookup: Lookup) -> tuple[dict | None, str]:
    """The referenced object, or None with its NotFound text ('' when optional)."""
    name = ref.get("name", "")
    obj = lookup(kind, namespace, name)
    if obj is not None or ref.get("optional"):
        return obj, ""
    return None, f'{kind.lower()} "{name}" not found'


def env_error(pod: dict, container: dict, lookup: Lookup) -> str | None:
    """The error makeEnvironmentVariables returns for the container, or None."""
    namespace = pod["metadata"]["namespace"]
    for source in container.get("envFrom") or ():
        for field, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
            if field in source:
                _, error = _missing(kind, source[field] or {}, namespace, lookup)
                if error:
                    return error
    for env in container.get("env") or ():
        if env.get("value"):
            continue
        value_from = env.get("valueFrom") or {}
        for field, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
            if field not in value_from:
                continue
            ref = value_from[field] or {}
            obj, error = _missing(kind, ref, namespace, lookup)
            if error:
                return error
            data = (
                {} if obj is None else {**(obj.get("stringData") or {}), **(obj.get("data") or {})}
            )
            if obj is not None and ref.get("key") not in data and not ref.get("optional"):
                return f"couldn't find key {ref.get('key')} in {kind} {namespace}/{ref.get('name')}"
    return None
