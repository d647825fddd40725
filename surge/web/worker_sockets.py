"""The sockets a server's workers listen on. Kept apart, with nothing but the standard library: a worker unpickles
`PortOfEachWorker` before anything else, and the supervisor stops a worker that is slow to answer its first ping."""

from __future__ import annotations

import os
import socket


def tcp_socket(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    # Declared as TCP, asyncio turns Nagle off on each connection.
    # uvicorn's own socket leaves the protocol unset, so keep-alive replies waited ~40 ms.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


class PortOfEachWorker:
    """Stands for the listening socket in the supervisor; each worker that receives it (unpickled in the worker
    process) gets a socket of its own on the port, bound with SO_REUSEPORT, and the kernel spreads new connections
    evenly over them. With one shared socket, the worker that wakes first takes a whole burst of connections and
    keeps them for their life, so under a surge one worker does the work of all."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port

    def __reduce__(self):
        return _port_socket_of_this_worker, (self.host, self.port)

    @staticmethod
    def supported() -> bool:
        """Linux spreads connections over sockets sharing a port; elsewhere SO_REUSEPORT means something else."""
        return hasattr(socket, "SO_REUSEPORT") and os.uname().sysname == "Linux"


def _port_socket_of_this_worker(host: str, port: int) -> socket.socket:
    return tcp_socket(host, port, reuse_port=True)
