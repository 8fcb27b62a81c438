"""What the kubelet's prober reports when a container's readiness probe fails.

k/k pkg/kubelet/prober/prober.go @ v1.33.0 `probe`: a failed probe records a Warning `Unhealthy`
event from the kubelet, `"%s probe failed: %s"` with the probe type ("Readiness") and the
handler's output. A container without a readinessProbe has no probe worker at all: the kubelet
reports it ready for as long as it runs, and never records such an event.

The outputs, one per handler, for an application that starts failing its probe:

- httpGet (pkg/probe/http/http.go `DoHTTPProbe`): a status outside 200-399 gives
  `HTTP probe failed with statuscode: N`; the simulated application answers 503;
- tcpSocket (pkg/probe/tcp/tcp.go): the dial's error, `dial tcp IP:PORT: connect: connection
  refused`, when nothing listens on the port any more;
- exec (pkg/probe/exec/exec.go): the command's combined output; the simulated command exits 1
  without printing anything;
- grpc (pkg/probe/grpc/grpc.go): `service unhealthy (responded with "NOT_SERVING")`.
"""

from __future__ import annotations

__all__ = ["FAILING_HTTP_STATUS", "has_readiness_probe", "readiness_failure"]

FAILING_HTTP_STATUS = 503
"""What the simulated application answers its httpGet probe once it fails (Service
Unavailable)."""


def has_readiness_probe(container: dict) -> bool:
    return bool(container.get("readinessProbe"))


def readiness_failure(container: dict, pod_ip: str) -> str:
    """The Unhealthy event's message when the container's readiness probe starts failing."""
    probe = container.get("readinessProbe") or {}
    return f"Readiness probe failed: {_output(probe, container, pod_ip)}"


def _output(probe: dict, container: dict, pod_ip: str) -> str:
    if "httpGet" in probe:
        return f"HTTP probe failed with statuscode: {FAILING_HTTP_STATUS}"
    if "tcpSocket" in probe:
        action = probe["tcpSocket"]
        host = action.get("host") or pod_ip
        address = f"[{host}]" if ":" in host else host  # net.JoinHostPort
        port = _port(action.get("port"), container)
        return f"dial tcp {address}:{port}: connect: connection refused"
    if "grpc" in probe:
        return 'service unhealthy (responded with "NOT_SERVING")'
    return ""


def _port(port: object, container: dict) -> object:
    """prober.go's port resolution: a number, or the container port of that name."""
    if isinstance(port, str):
        for declared in container.get("ports") or ():
            if declared.get("name") == port:
                return declared.get("containerPort")
    return port
