"""`ZoneBuilder`: the DNS zone rebuilt per version from entries read once per stored dict."""

from __future__ import annotations

from dns_inputs import endpoint, make_namespace, make_service, make_slice

from kubenet_nb.network.dns.records import ZoneBuilder, build_zone


def stored(obj: dict, version: int) -> dict:
    """The object as the store holds it (with a resourceVersion)."""
    return {**obj, "metadata": {**obj["metadata"], "resourceVersion": str(version)}}


WEB = stored(make_service("web", cluster_ip="10.96.0.20"), 1)
WEB_SLICE = stored(make_slice("web", [endpoint("10.244.1.5")]), 2)
NAMESPACES = [make_namespace("default")]


def test_unchanged_objects_keep_their_entries_and_a_new_slice_version_is_read() -> None:
    builder = ZoneBuilder()
    first = builder.build([WEB], [WEB_SLICE], NAMESPACES)
    grown = stored(make_slice("web", [endpoint("10.244.1.5"), endpoint("10.244.2.6")]), 3)
    second = builder.build([WEB], [grown], NAMESPACES)
    assert second.service("default", "web") is first.service("default", "web")
    assert [eps.addresses for eps in second.endpoint_sets("default", "web")] == [
        (("10.244.1.5", "10-244-1-5"), ("10.244.2.6", "10-244-2-6"))
    ]
    assert sorted(second.endpoints_by_ip) == ["10.244.1.5", "10.244.2.6"]
    assert sorted(first.endpoints_by_ip) == ["10.244.1.5"]


def test_hand_built_objects_are_read_again_each_time() -> None:
    builder = ZoneBuilder()
    service = make_service("api", cluster_ip="10.96.0.30")
    builder.build([service], [], NAMESPACES)
    service["spec"]["clusterIP"] = service["spec"]["clusterIPs"][0] = "10.96.0.31"
    zone = builder.build([service], [], NAMESPACES)
    assert zone.service("default", "api").cluster_ips == ("10.96.0.31",)
    assert list(zone.services_by_ip) == ["10.96.0.31"]


def test_a_builder_gives_what_a_fresh_build_gives() -> None:
    builder = ZoneBuilder()
    other = stored(make_service("api", namespace="kube-system", cluster_ip="10.96.0.40"), 4)
    for services in ([WEB], [WEB, other], [other]):
        zone, fresh = (
            builder.build(services, [WEB_SLICE], NAMESPACES),
            build_zone(services, [WEB_SLICE], NAMESPACES),
        )
        assert zone.services == fresh.services
        assert zone.endpoints == fresh.endpoints
        assert zone.services_by_ip == fresh.services_by_ip
        assert zone.endpoints_by_ip == fresh.endpoints_by_ip
