"""What the images learners meet listen on, and how command, args and env change it."""

from __future__ import annotations

from kubenet_nb.cluster.images.listening import IMAGES, container_argv, image_sockets
from kubenet_nb.cluster.images.model import ANY, LOOPBACK, Socket
from kubenet_nb.cluster.images.reference import image_repository

__all__ = [
    "ANY",
    "IMAGES",
    "LOOPBACK",
    "Socket",
    "container_argv",
    "image_repository",
    "image_sockets",
]
