"""The sample applications of the docs and tutorials: Online Boutique, Istio's samples.

- Online Boutique (GoogleCloudPlatform/microservices-demo src/<service>): every service serves
  gRPC (the frontend HTTP) on `$PORT`, which release/kubernetes-manifests.yaml @ 34ffea9 sets;
  the default is the port the service falls back to without it (the manifests' value).
  loadgenerator only connects out. Published both as
  us-central1-docker.pkg.dev/google-samples/microservices-demo/<service> and, in the release
  manifests, as .../online-boutique-ci/microservices-demo/<service>.
- Istio's bookinfo (istio/istio samples/bookinfo/src/*: productpage.py, details.rb, ratings.js
  and the reviews Liberty server.xml all serve 9080) and helloworld (samples/helloworld/src
  Dockerfile: gunicorn on 5000), published as docker.io/istio/examples-* and
  registry.istio.io/release/examples-*.
"""

from __future__ import annotations

from kubenet_nb.cluster.images.model import Image, ListenPort, Program

__all__ = ["DEMOS"]

_BOUTIQUE = {
    "frontend": 8080,
    "cartservice": 7070,
    "productcatalogservice": 3550,
    "currencyservice": 7000,
    "paymentservice": 50051,
    "shippingservice": 50051,
    "emailservice": 8080,
    "checkoutservice": 5050,
    "recommendationservice": 8080,
    "adservice": 9555,
    "loadgenerator": 0,
}
_BOOKINFO = (
    "details-v1",
    "ratings-v1",
    "ratings-v2",
    "reviews-v1",
    "reviews-v2",
    "reviews-v3",
    "productpage-v1",
)


def _boutique(service: str, port: int) -> Image:
    """An Online Boutique service: one socket on $PORT."""
    source = f"GoogleCloudPlatform/microservices-demo src/{service}: $PORT"
    sockets = (ListenPort(port, env=("PORT",)),) if port else ()
    return Image((Program((service, "server"), sockets, source),))


def _istio(name: str, port: int, source: str) -> Image:
    """An Istio sample: one fixed TCP socket."""
    return Image((Program((name,), (ListenPort(port),), source),))


DEMOS: dict[str, Image] = {
    f"{owner}/microservices-demo/{service}": _boutique(service, port)
    for owner in ("google-samples", "online-boutique-ci")
    for service, port in _BOUTIQUE.items()
}
for _owner in ("istio", "release"):
    for _name in _BOOKINFO:
        _source = f"istio/istio samples/bookinfo/src ({_name}): 9080"
        DEMOS[f"{_owner}/examples-bookinfo-{_name}"] = _istio(_name, 9080, _source)
    for _version in ("v1", "v2"):
        _source = "istio/istio samples/helloworld/src/Dockerfile: gunicorn -b [::]:5000"
        DEMOS[f"{_owner}/examples-helloworld-{_version}"] = _istio("gunicorn", 5000, _source)
