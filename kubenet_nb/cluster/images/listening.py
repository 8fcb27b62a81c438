"""Which sockets a container's process opens, from its image and its command, args and env.

The container's argv is its image's ENTRYPOINT and CMD as `command`/`args` override them,
after the kubelet's `$(VAR)` expansion (argv.py). Every simple command it runs (itself, or each
one of a `sh -c` script) is looked up among the programs its image has (its first word after
any wrapper such as `dumb-init --` or `docker-entrypoint.sh`, by file name); each program found
opens the sockets its flags, positional arguments and environment give. A container that runs
none of its image's programs (`command: [sleep, infinity]` in nginx) listens on nothing. An
image not in the table gives None: the caller falls back to the container's declared ports.
"""

from __future__ import annotations

from kubenet_nb.cluster.images.agnhost import AGNHOST
from kubenet_nb.cluster.images.argv import command_lines, container_env, expand
from kubenet_nb.cluster.images.demos import DEMOS
from kubenet_nb.cluster.images.model import Image, Program, Socket
from kubenet_nb.cluster.images.reference import image_repository
from kubenet_nb.cluster.images.servers import SERVERS
from kubenet_nb.cluster.images.shells import SHELLS
from kubenet_nb.cluster.images.system import SYSTEM

__all__ = ["IMAGES", "container_argv", "image_sockets"]

IMAGES: dict[str, Image] = {
    "e2e-test-images/agnhost": AGNHOST,
    **SERVERS,
    **DEMOS,
    **SHELLS,
    **SYSTEM,
}
"""Image repository (registry, tag and digest removed) -> what it runs and listens on."""


_WRAPPERS = frozenset(("--", "dumb-init", "tini", "docker-entrypoint.sh", "exec", "nohup"))
"""Programs that run the next word (an init, an image's entrypoint script)."""


def container_argv(container: dict, image: Image) -> list[str]:
    """The argv the container's process starts with, `$(VAR)` expanded."""
    env = container_env(container)
    command = [str(word) for word in container.get("command") or ()]
    args = [str(word) for word in container.get("args") or ()]
    if command:
        argv = command + args
    elif args and image.prepends and args[0].startswith("-"):
        argv = [*image.entrypoint, image.prepends, *args]
    else:
        argv = [*image.entrypoint, *(args or image.cmd)]
    return [expand(word, env) for word in argv]


def _program(line: list[str], image: Image) -> tuple[Program, list[str]] | None:
    """The image's program the command line runs (after any wrapper), and its arguments."""
    for i, word in enumerate(line):
        name = word.rsplit("/", 1)[-1]
        if name in _WRAPPERS:
            continue
        program = next((p for p in image.programs if name in p.names), None)
        return (program, line[i + 1 :]) if program is not None else None
    return None


def image_sockets(container: dict) -> list[Socket] | None:
    """The sockets the container's process listens on; None for an image not in the table."""
    image = IMAGES.get(image_repository(container.get("image") or ""))
    if image is None:
        return None
    env = container_env(container)
    argv = container_argv(container, image)
    if not argv:
        return image.programs[0].listening([], env) if image.programs else []
    found: list[Socket] = []
    for line in command_lines(argv):
        match = _program(line, image)
        if match is not None:
            found += [s for s in match[0].listening(match[1], env) if s not in found]
    return found
