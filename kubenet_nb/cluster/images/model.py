"""The shape of the image table: an image's programs and the sockets each one opens."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kubenet_nb.cluster.images.argv import flag_value, positionals, switch

__all__ = ["ANY", "LOOPBACK", "EnvPorts", "Image", "ListenPort", "Program", "Socket", "address"]

ANY = ""
LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Socket:
    """A listening socket: port, protocol and the address bound ("" for every address)."""

    port: int
    protocol: str = "TCP"
    bind: str = ANY


def address(value: str) -> tuple[int, str] | None:
    """A port or `[host]:port` flag value as (port, bind); None when it is no port.

    >>> address(":5678"), address("127.0.0.1:8080"), address("9898"), address("x")
    ((5678, ''), (8080, '127.0.0.1'), (9898, ''), None)
    """
    host, _, port = value.rpartition(":")
    host = host.strip("[]")
    if not port.isdigit():
        return None
    if host in ("localhost", "::1") or host.startswith("127."):
        host = LOOPBACK
    return int(port), "" if host in ("", "0.0.0.0", "::") else host


@dataclass(frozen=True)
class ListenPort:
    """One socket: its default port (0 or less: closed) and the flags/env vars that move it."""

    default: int
    protocol: str = "TCP"
    flags: tuple[str, ...] = ()
    """Flag names, last given wins; the value is a port or `[host]:port`."""
    env: tuple[str, ...] = ()
    """Environment variables read when no flag is given, first set wins."""
    bind: str = ANY
    switch: tuple[str, bool] | None = None
    """A boolean flag and its default: the socket exists only while it is true."""
    unless: str = ""
    """A boolean flag (default false) that closes the socket when set."""
    positional: int | None = None
    """The index of the positional argument that gives the port (`http.server 8000`)."""

    def sockets(
        self, words: Sequence[str], env: Mapping[str, str], program: Program
    ) -> list[Socket]:
        """The socket this port opens for the program's words and environment."""
        single = program.single_dash
        if self.switch and not switch(words, self.switch[0], self.switch[1], single):
            return []
        if self.unless and switch(words, self.unless, False, single):
            return []
        value = flag_value(words, self.flags, single) if self.flags else None
        if value is None and self.positional is not None:
            given = positionals(words, program.valued)
            value = given[self.positional] if len(given) > self.positional else None
        if value is None:
            value = next((env[name] for name in self.env if env.get(name)), None)
        found = address(value) if value is not None else (self.default, self.bind)
        if found is None or found[0] <= 0:
            return []
        return [Socket(found[0], self.protocol, found[1] or self.bind)]


@dataclass(frozen=True)
class EnvPorts:
    """Sockets named by environment variables: `<prefix><port>` (agnhost porter)."""

    prefixes: tuple[str, ...]
    protocol: str = "TCP"

    def sockets(
        self, words: Sequence[str], env: Mapping[str, str], program: Program
    ) -> list[Socket]:
        """One socket per variable whose name is a prefix and a port number."""
        found = []
        for name in env:
            for prefix in self.prefixes:
                rest = name[len(prefix) :]
                if name.startswith(prefix) and rest.isdigit() and int(rest) > 0:
                    found.append(Socket(int(rest), self.protocol))
        return found


@dataclass(frozen=True)
class Program:
    """A server program: the names it is run by and the sockets it opens."""

    names: tuple[str, ...]
    sockets: tuple[ListenPort | EnvPorts, ...] = ()
    source: str = ""
    """Where its defaults come from: repository path @ tag or commit."""
    single_dash: bool = True
    """Go's flag package (`-port=1`); False for spf13/pflag, whose long flags need `--`."""
    subcommands: Mapping[str, Program] = field(default_factory=dict)
    """Subcommand -> the program it runs (agnhost); with `after`, the word after that flag."""
    after: str = ""
    valued: tuple[str, ...] = ()
    """Flags that take a value, for finding positional arguments."""

    def listening(self, words: Sequence[str], env: Mapping[str, str]) -> list[Socket]:
        """The sockets open when run with `words` (the arguments after its name)."""
        if self.subcommands:
            at = words.index(self.after) + 1 if self.after in words else 0
            if not self.after:
                at = next((i for i, w in enumerate(words) if not w.startswith("-")), len(words))
            sub = self.subcommands.get(words[at]) if at < len(words) else None
            return sub.listening(words[at + 1 :], env) if sub else []
        found: list[Socket] = []
        for port in self.sockets:
            found += [s for s in port.sockets(words, env, self) if s not in found]
        return found


@dataclass(frozen=True)
class Image:
    """An image: its ENTRYPOINT and CMD and the programs that may run in it."""

    programs: tuple[Program, ...]
    entrypoint: tuple[str, ...] = ()
    cmd: tuple[str, ...] = ()
    source: str = ""
    """Where ENTRYPOINT/CMD/EXPOSE come from."""
    prepends: str = ""
    """docker-library entrypoints: when the first argument starts with `-`, the script runs
    this program with them (`set -- mysqld "$@"`)."""
