"""The kubelet's volume manager for ConfigMap, Secret and projected volumes: why a mount fails.

The volume plugins' SetUp (k/k pkg/volume/configmap/configmap.go, pkg/volume/secret/secret.go,
pkg/volume/projected/projected.go @ v1.33.0) read the object through the kubelet's
watch-based manager (pkg/kubelet/configmap/configmap_manager.go): a missing one is NotFound on
resource `configmap` / `secret`, unless the source is `optional`. The operation executor wraps
the error as `MountVolume.SetUp failed for volume "<pod's volume name>" : <error>`
(pkg/volume/util/operationexecutor/operation_executor.go GenerateError) and the reconciler
retries it with an exponential backoff, 500ms doubling to 2m2s
(pkg/util/goroutinemap/exponentialbackoff/exponential_backoff.go).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

__all__ = ["ROOT_CA_CONFIGMAP", "Lookup", "mount_backoff", "mount_failures", "references"]

Lookup = Callable[[str, str, str], "dict | None"]
"""(kind, namespace, name) -> the stored object, or None."""

ROOT_CA_CONFIGMAP = "kube-root-ca.crt"
"""k/k pkg/controller/certificates/rootcacertpublisher/publisher.go: kept in every namespace
(recreated if deleted), so the service-account token volume always finds it."""
BACKOFF_INITIAL_SECONDS, BACKOFF_MAX_SECONDS = 0.5, 122.0


def mount_backoff(failures: int) -> float:
    """exponentialbackoff.Update: the wait after the `failures`-th failure in a row."""
    return min(BACKOFF_INITIAL_SECONDS * 2 ** min(failures - 1, 16), BACKOFF_MAX_SECONDS)


def _aggregate(errors: list[str]) -> str:
    """utilerrors.NewAggregate(...).Error(): one message, or `[a, b]` without duplicates."""
    unique = list(dict.fromkeys(errors))
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"


def _source_error(
    kind: str, name: str, source: dict, namespace: str, lookup: Lookup, *, token: bool = False
) -> str | None:
    """A configMap or secret source's SetUp error (MakePayload's missing key included)."""
    optional = bool(source.get("optional"))
    obj = lookup(kind, namespace, name)
    if obj is None:
        if optional or (token and kind == "ConfigMap" and name == ROOT_CA_CONFIGMAP):
            return None
        return f'{kind.lower()} "{name}" not found'
    extra = "binaryData" if kind == "ConfigMap" else "stringData"
    keys = {*(obj.get("data") or {}), *(obj.get(extra) or {})}
    missing = next(
        (i.get("key") for i in source.get("items") or () if i.get("key") not in keys), None
    )
    if missing is None or optional:
        return None
    if kind == "ConfigMap":
        return f"configmap references non-existent config key: {missing}"
    return f"references non-existent secret key: {missing}"


def _volume_error(volume: dict, namespace: str, lookup: Lookup) -> str | None:
    if "configMap" in volume:
        source = volume["configMap"] or {}
        return _source_error("ConfigMap", source.get("name", ""), source, namespace, lookup)
    if "secret" in volume:
        source = volume["secret"] or {}
        return _source_error("Secret", source.get("secretName", ""), source, namespace, lookup)
    sources = ((volume.get("projected") or {}).get("sources")) or ()
    token = any("serviceAccountToken" in s for s in sources)
    errors = []
    for source in sources:
        for field, kind in (("configMap", "ConfigMap"), ("secret", "Secret")):
            if field in source:
                inner = source[field] or {}
                name = inner.get("name", "")
                error = _source_error(kind, name, inner, namespace, lookup, token=token)
                if error:
                    errors.append(error)
    return _aggregate(errors) if errors else None


def mount_failures(pod: dict, lookup: Lookup) -> list[tuple[str, str]]:
    """(volume name, FailedMount message) for each volume whose SetUp fails, in spec order."""
    namespace = pod["metadata"]["namespace"]
    failures = []
    for volume in pod["spec"].get("volumes") or ():
        error = _volume_error(volume, namespace, lookup)
        if error:
            name = volume.get("name", "")
            failures.append((name, f'MountVolume.SetUp failed for volume "{name}" : {error}'))
    return failures


def references(pod: dict) -> Iterator[tuple[str, str]]:
    """(kind, name) of every ConfigMap and Secret the pod's volumes, env and envFrom name."""
    for volume in pod["spec"].get("volumes") or ():
        if "configMap" in volume:
            yield "ConfigMap", (volume["configMap"] or {}).get("name", "")
        if "secret" in volume:
            yield "Secret", (volume["secret"] or {}).get("secretName", "")
        for source in (volume.get("projected") or {}).get("sources") or ():
            if "configMap" in source:
                yield "ConfigMap", (source["configMap"] or {}).get("name", "")
            if "secret" in source:
                yield "Secret", (source["secret"] or {}).get("name", "")
    for container in pod["spec"].get("containers") or ():
        for source in container.get("envFrom") or ():
            if "configMapRef" in source:
                yield "ConfigMap", (source["configMapRef"] or {}).get("name", "")
            if "secretRef" in source:
                yield "Secret", (source["secretRef"] or {}).get("name", "")
        for env in container.get("env") or ():
            value_from = env.get("valueFrom") or {}
            if "configMapKeyRef" in value_from:
                yield "ConfigMap", (value_from["configMapKeyRef"] or {}).get("name", "")
            if "secretKeyRef" in value_from:
                yield "Secret", (value_from["secretKeyRef"] or {}).get("name", "")
