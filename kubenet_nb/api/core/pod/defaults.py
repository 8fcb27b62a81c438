"""PodSpec defaulting, shared by Pods and the pod templates of workloads.

Follows pkg/apis/core/v1/defaults.go (SetDefaults_PodSpec, SetDefaults_Container,
SetDefaults_Probe, SetDefaults_Volume, ...) plus the `+default` markers (container port protocol
TCP), so that a stored pod spec reads as a v1.33 API server stores it.
"""

from __future__ import annotations

__all__ = ["default_container", "default_pod_spec", "image_pull_policy"]

_VOLUME_SOURCES_WITH_MODE = ("secret", "configMap", "downwardAPI", "projected")


def image_pull_policy(image: str) -> str:
    """Always for `:latest` or an untagged, undigested image; IfNotPresent otherwise.

    Mirrors parsers.ParseImageName: a tag is the part after the last ':' of the last path
    segment; an image name Docker would refuse (upper case) yields no tag at all.
    """
    name = image.split("@", 1)[0]
    if "@" in image and ":" not in name.rsplit("/", 1)[-1]:
        return "IfNotPresent"
    last = name.rsplit("/", 1)[-1]
    repository = name[: len(name) - len(last)] + last.split(":", 1)[0]
    if not image or repository != repository.lower():
        return "IfNotPresent"
    tag = last.split(":", 1)[1] if ":" in last else "latest"
    return "Always" if tag == "latest" else "IfNotPresent"


def _default_handler(handler: dict | None) -> None:
    http = (handler or {}).get("httpGet")
    if http is not None:
        http.setdefault("path", "/")
        http.setdefault("scheme", "HTTP")


def default_container(container: dict) -> None:
    """SetDefaults_Container and its nested defaults, as a v1 container is stored."""
    if not container.get("imagePullPolicy"):
        container["imagePullPolicy"] = image_pull_policy(container.get("image", ""))
    container.setdefault("terminationMessagePath", "/dev/termination-log")
    container.setdefault("terminationMessagePolicy", "File")
    container.setdefault("resources", {})
    for port in container.get("ports") or []:
        port.setdefault("protocol", "TCP")
    for env in container.get("env") or []:
        field_ref = (env.get("valueFrom") or {}).get("fieldRef")
        if field_ref is not None:
            field_ref.setdefault("apiVersion", "v1")
    for probe_key in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = container.get(probe_key)
        if probe is not None:
            for key, value in (
                ("timeoutSeconds", 1),
                ("periodSeconds", 10),
                ("successThreshold", 1),
                ("failureThreshold", 3),
            ):
                if not probe.get(key):
                    probe[key] = value
            _default_handler(probe)
    for hook in ("postStart", "preStop"):
        _default_handler((container.get("lifecycle") or {}).get(hook))


def _default_volume(volume: dict) -> None:
    if not any(key != "name" for key in volume):
        volume["emptyDir"] = {}
    for key in _VOLUME_SOURCES_WITH_MODE:
        if key in volume and volume[key] is not None:
            volume[key].setdefault("defaultMode", 420)
    for source in (volume.get("projected") or {}).get("sources") or []:
        token = source.get("serviceAccountToken")
        if token is not None:
            token.setdefault("expirationSeconds", 3600)
    if volume.get("hostPath") is not None:
        volume["hostPath"].setdefault("type", "")


def default_pod_spec(spec: dict) -> None:
    """SetDefaults_PodSpec plus container and volume defaults (templates and pods alike)."""
    if not spec.get("dnsPolicy"):
        spec["dnsPolicy"] = "ClusterFirst"
    if not spec.get("restartPolicy"):
        spec["restartPolicy"] = "Always"
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = 30
    if not spec.get("schedulerName"):
        spec["schedulerName"] = "default-scheduler"
    for key in ("initContainers", "containers"):
        for container in spec.get(key) or []:
            default_container(container)
    for volume in spec.get("volumes") or []:
        _default_volume(volume)
