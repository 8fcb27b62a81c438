"""`kubectl describe` for Ingresses (describe/ingress.py).

Cases from kubernetes/kubectl pkg/describe/describe_test.go @ v0.33.1 TestDescribeIngress (the
networking/v1 ones), compared whole; the Service `default-backend` does not exist there.
"""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster

SERVICE = {"service": {"name": "default-backend", "port": {"number": 80}}}
RESOURCE = {"resource": {"apiGroup": "example.com", "kind": "foo", "name": "bar"}}
NOT_FOUND = 'default-backend:80 (<error: services "default-backend" not found>)'
HEAD = (
    "Name:             bar\n"
    "Labels:           <none>\n"
    "Namespace:        foo\n"
    "Address:          \n"
    "Ingress Class:    test\n"
)


def _rules(backend: dict) -> list[dict]:
    path = {"path": "/foo", "pathType": "Prefix", "backend": backend}
    return [{"host": "foo.bar.com", "http": {"paths": [path]}}]


def _describe(spec: dict, labels: dict | None = None, setup: str = "") -> str:
    c = Cluster()
    c.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "foo"}})
    if setup:
        c.apply(setup)
    meta: dict = {"name": "bar", "namespace": "foo"}
    if labels:
        meta["labels"] = labels
    c.create(
        {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec}
    )
    return c.kubectl("describe ingress bar -n foo")


def _with_rule(default: str, backend: str) -> str:
    return HEAD + (
        f"Default backend:  {default}\n"
        "Rules:\n"
        "  Host         Path  Backends\n"
        "  ----         ----  --------\n"
        "  foo.bar.com  \n"
        f"               /foo   {backend}\n"
        "Annotations:   <none>\n"
        "Events:        <none>"
    )


def _without_rules(default: str, ingress_class: str = "test") -> str:
    return HEAD.replace("test", ingress_class) + (
        f"Default backend:  {default}\n"
        "Rules:\n"
        "  Host        Path  Backends\n"
        "  ----        ----  --------\n"
        f"  *           *     {default}\n"
        "Annotations:  <none>\n"
        "Events:       <none>"
    )


def test_service_backend_with_labels() -> None:
    # "IngressRule.HTTP.Paths.Backend.Service v1beta1" input, as networking/v1.
    text = _describe(
        {"ingressClassName": "test", "rules": _rules(SERVICE)}, {"id1": "app1", "id2": "app2"}
    )
    assert text == _with_rule("<default>", NOT_FOUND).replace(
        "Labels:           <none>\n", "Labels:           id1=app1\n                  id2=app2\n"
    )


@pytest.mark.parametrize(
    ("default", "backend", "default_text", "backend_text"),
    [
        # "IngressRule.HTTP.Paths.Backend.Service v1"
        (None, SERVICE, "<default>", NOT_FOUND),
        # "IngressRule.HTTP.Paths.Backend.Resource v1"
        (None, RESOURCE, "<default>", "APIGroup: example.com, Kind: foo, Name: bar"),
        # "IngressRule.HTTP.Paths.Backend.Resource v1 Without APIGroup"
        (
            None,
            {"resource": {"kind": "foo", "name": "bar"}},
            "<default>",
            "APIGroup: <none>, Kind: foo, Name: bar",
        ),
        # "Spec.DefaultBackend.Service & IngressRule.HTTP.Paths.Backend.Service v1"
        (SERVICE, SERVICE, NOT_FOUND, NOT_FOUND),
        # "Spec.DefaultBackend.Resource & IngressRule.HTTP.Paths.Backend.Resource v1"
        (
            RESOURCE,
            RESOURCE,
            "APIGroup: example.com, Kind: foo, Name: bar",
            "APIGroup: example.com, Kind: foo, Name: bar",
        ),
        # "Spec.DefaultBackend.Resource & IngressRule.HTTP.Paths.Backend.Service v1"
        (RESOURCE, SERVICE, "APIGroup: example.com, Kind: foo, Name: bar", NOT_FOUND),
    ],
)
def test_rules(default: dict | None, backend: dict, default_text: str, backend_text: str) -> None:
    spec: dict = {"ingressClassName": "test", "rules": _rules(backend)}
    if default is not None:
        spec["defaultBackend"] = default
    assert _describe(spec) == _with_rule(default_text, backend_text)


def test_default_backend_only() -> None:
    # "DefaultBackend": with no rules, one `*  *` row shows the default backend.
    spec = {"ingressClassName": "test", "defaultBackend": SERVICE}
    assert _describe(spec) == _without_rules(NOT_FOUND)


def test_empty_backend() -> None:
    # "EmptyBackend"
    assert _describe({"ingressClassName": "test"}) == _without_rules("<default>")


def test_empty_ingress_class_name() -> None:
    # "EmptyIngressClassName"
    assert _describe({"defaultBackend": SERVICE}) == _without_rules(NOT_FOUND, "<none>")


WEB = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: foo}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: foo}
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: 8080}
  - {name: admin, port: 9000}
"""


def test_service_backend_endpoints_and_tls() -> None:
    # describe.go describeBackendV1: the ready endpoints of the Service port the backend names
    # (by number or by name) from its EndpointSlices, three then `+ N more...`;
    # describeIngressTLSV1; a rule without http is skipped.
    c = Cluster()
    c.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "foo"}})
    c.apply(WEB)
    c.advance(30)

    def path(text: str, port: dict) -> dict:
        backend = {"service": {"name": "web", "port": port}}
        return {"path": text, "pathType": "Prefix", "backend": backend}

    c.apply(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {"name": "bar", "namespace": "foo"},
            "spec": {
                "tls": [
                    {"hosts": ["foo.bar.com"], "secretName": "tls-secret"},
                    {"hosts": ["a.b", "c.d"]},
                ],
                "rules": [
                    {
                        "host": "foo.bar.com",
                        "http": {
                            "paths": [path("/", {"number": 80}), path("/admin", {"name": "admin"})]
                        },
                    },
                    {"host": "no-http.example"},
                ],
            },
        }
    )
    (slice_,) = c.list("endpointslices", "foo")
    ips = [endpoint["addresses"][0] for endpoint in slice_["endpoints"]][:3]
    web = ",".join(f"{ip}:8080" for ip in ips)
    admin = ",".join(f"{ip}:9000" for ip in ips)
    assert c.kubectl("describe ing bar -n foo --show-events=false") == (
        "Name:             bar\n"
        "Labels:           <none>\n"
        "Namespace:        foo\n"
        "Address:          \n"
        "Ingress Class:    <none>\n"
        "Default backend:  <default>\n"
        "TLS:\n"
        "  tls-secret terminates foo.bar.com\n"
        "  SNI routes a.b,c.d\n"
        "Rules:\n"
        "  Host         Path  Backends\n"
        "  ----         ----  --------\n"
        "  foo.bar.com  \n"
        f"               /        web:80 ({web} + 1 more...)\n"
        f"               /admin   web:admin ({admin} + 1 more...)\n"
        "Annotations:   <none>"
    )
