"""ClusterIP and NodePort allocators: bands, refusals in upstream's words, undo, determinism.

Sources, in kubernetes/kubernetes: pkg/registry/core/service/ipallocator/ipallocator.go
(NewIPAllocator, allocateNextService, allocateService), ipallocator/interfaces.go (error texts),
ipallocator/bitmap.go calculateRangeOffset, ipallocator/cidrallocator.go (MetaAllocator
getAllocator -> ErrMismatchedNetwork), portallocator/allocator.go (errors, calculateRangeOffset),
allocator/bitmap.go randomScanStrategyWithOffset; KEP-3070 and the website page
concepts/services-networking/cluster-ip-allocation.md for the two bands.
"""

from __future__ import annotations

import ipaddress
import random

import pytest

from kubenet_nb.cluster.allocators import (
    AllocationError,
    ClusterIPAllocator,
    NodePortAllocator,
    ip_range_offset,
    port_range_offset,
)
from kubenet_nb.cluster.store import Store


def ips(cidr: str = "10.96.0.0/16", seed: int = 0, store: Store | None = None):
    return ClusterIPAllocator(cidr, random.Random(seed), (store or Store()).on_undo)


def ports(text: str = "30000-32767", seed: int = 0, store: Store | None = None):
    return NodePortAllocator(text, random.Random(seed), (store or Store()).on_undo)


# -- band sizes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "offset"),
    [(8, 0), (16, 0), (32, 16), (256, 16), (1024, 64), (4096, 256), (65536, 256), (1 << 20, 256)],
)
def test_ip_static_band_is_min_max_16_size_over_16_256(size: int, offset: int) -> None:
    # ipallocator calculateRangeOffset: min(max(16, cidrSize/16), 256), 0 when size <= 16.
    assert ip_range_offset(size) == offset


@pytest.mark.parametrize(
    ("size", "offset"), [(16, 0), (17, 16), (512, 16), (2768, 86), (8192, 128)]
)
def test_port_static_band_is_min_max_16_size_over_32_128(size: int, offset: int) -> None:
    # portallocator calculateRangeOffset: min(max(16, size/32), 128), 0 when size <= 16.
    assert port_range_offset(size) == offset


def test_default_bands_match_the_documented_ranges() -> None:
    # cluster-ip-allocation.md: a /16 reserves 10.96.0.1-10.96.1.0; service.md: 30000-30085.
    assert ips().static_band == ("10.96.0.1", "10.96.1.0")
    assert ips("10.96.0.0/24").static_band == ("10.96.0.1", "10.96.0.16")
    assert ips("10.96.0.0/28").static_band is None
    assert ports().static_band == (30000, 30085)
    assert ports().port_range == "30000-32767"


# -- explicit requests ----------------------------------------------------------------------


def test_requested_ip_is_granted_once() -> None:
    pool = ips()
    pool.allocate("10.96.0.10")
    assert pool.has("10.96.0.10")
    assert pool.used == 1
    with pytest.raises(AllocationError) as err:
        pool.allocate("10.96.0.10")
    # ipallocator/interfaces.go ErrAllocated
    assert str(err.value) == "provided IP is already allocated"


def test_ip_outside_every_service_cidr_is_a_mismatched_network() -> None:
    # v1.33: MultiCIDRServiceAllocator is GA; MetaAllocator.getAllocator finds no ServiceCIDR
    # holding the IP and returns ErrMismatchedNetwork.
    with pytest.raises(AllocationError) as err:
        ips().allocate("192.168.1.1")
    assert str(err.value) == "the provided network does not match the current range"


@pytest.mark.parametrize("ip", ["10.96.0.0", "10.96.255.255"])
def test_network_and_broadcast_addresses_are_not_in_the_valid_range(ip: str) -> None:
    # ipallocator.go: the network's ".0" and, for IPv4, the broadcast address are excluded;
    # ErrNotInRange prints the IP and the ServiceCIDR prefix.
    with pytest.raises(AllocationError) as err:
        ips().allocate(ip)
    assert str(err.value) == (
        f"the provided IP ({ip}) is not in the valid range. The range of valid IPs is 10.96.0.0/16"
    )


def test_ipv6_range_keeps_its_last_address() -> None:
    # ipallocator.go NewIPAllocator: "Use the broadcast address as last address for IPv6".
    pool = ips("fd00:10:96::/112")
    assert pool.family == "IPv6"
    pool.allocate("fd00:10:96::ffff")
    with pytest.raises(AllocationError):
        pool.allocate("fd00:10:96::")


def test_requested_port_is_granted_once_and_range_is_enforced() -> None:
    pool = ports()
    pool.allocate(30080)
    with pytest.raises(AllocationError) as err:
        pool.allocate(30080)
    # portallocator/allocator.go ErrAllocated and ErrNotInRange
    assert str(err.value) == "provided port is already allocated"
    for bad in (80, 29999, 32768):
        with pytest.raises(AllocationError) as err:
            pool.allocate(bad)
        assert str(err.value) == (
            "provided port is not in the valid range. The range of valid ports is 30000-32767"
        )
    assert pool.used == 1


@pytest.mark.parametrize(("text", "printed"), [("30000+99", "30000-30099"), ("8080", "8080-8080")])
def test_port_range_syntaxes(text: str, printed: str) -> None:
    # k8s.io/apimachinery/pkg/util/net ParsePortRange accepts base-max, base+offset and a port.
    assert ports(text).port_range == printed


def test_bad_port_range_is_refused() -> None:
    with pytest.raises(ValueError, match="unable to parse port range: high"):
        ports("high")


# -- dynamic allocation ---------------------------------------------------------------------


def test_dynamic_ips_fill_the_upper_band_before_the_static_band() -> None:
    pool = ips("10.96.0.0/20")  # 4094 usable IPs, static band of 256
    upper = [ipaddress.ip_address(pool.allocate_next()) for _ in range(4094 - 256)]
    assert min(upper) == ipaddress.ip_address("10.96.1.1")
    assert len(set(upper)) == len(upper)
    lower = {ipaddress.ip_address(pool.allocate_next()) for _ in range(256)}
    assert min(lower) == ipaddress.ip_address("10.96.0.1")
    assert max(lower) == ipaddress.ip_address("10.96.1.0")
    with pytest.raises(AllocationError, match=r"^range is full$"):
        pool.allocate_next()


def test_a_whole_slash_16_allocates_without_scanning_per_request() -> None:
    pool = ips()
    got = {pool.allocate_next() for _ in range(65534)}
    assert len(got) == 65534
    assert pool.used == 65534
    pool.release("10.96.200.7")
    assert pool.allocate_next() == "10.96.200.7"


def test_dynamic_ports_fill_30086_32767_first() -> None:
    pool = ports()
    upper = [pool.allocate_next() for _ in range(2768 - 86)]
    assert sorted(upper) == list(range(30086, 32768))
    assert sorted(pool.allocate_next() for _ in range(86)) == list(range(30000, 30086))
    with pytest.raises(AllocationError, match=r"^range is full$"):
        pool.allocate_next()


def test_dynamic_allocation_skips_requested_values() -> None:
    pool = ips("10.96.0.0/29")  # 6 usable IPs, no static band
    pool.allocate("10.96.0.3")
    got = {pool.allocate_next() for _ in range(5)}
    assert "10.96.0.3" not in got
    assert len(got) == 5


def test_same_seed_same_choices() -> None:
    first, second = ips(seed=7), ips(seed=7)
    assert [first.allocate_next() for _ in range(20)] == [second.allocate_next() for _ in range(20)]
    assert ips(seed=8).allocate_next() != ips(seed=7).allocate_next()


def test_release_is_a_no_op_for_free_or_foreign_values() -> None:
    pool, port_pool = ips(), ports()
    pool.release("10.96.3.3")
    pool.release("192.168.0.1")
    port_pool.release(80)
    port_pool.release(30001)
    assert pool.used == port_pool.used == 0


# -- undo -----------------------------------------------------------------------------------


def test_a_refused_transaction_gives_back_what_it_took_and_what_it_freed() -> None:
    store = Store()
    pool, port_pool = ips(store=store), ports(store=store)
    pool.allocate("10.96.0.1")
    port_pool.allocate(30001)

    def refused_request() -> None:
        with store.transaction():
            pool.allocate_next()
            pool.release("10.96.0.1")
            port_pool.allocate(30002)
            port_pool.release(30001)
            raise RuntimeError("refused")

    with pytest.raises(RuntimeError):
        refused_request()
    assert (pool.used, port_pool.used) == (1, 1)
    assert pool.has("10.96.0.1")
    assert port_pool.has(30001)
    assert not port_pool.has(30002)
