"""What the webhook tests share: a real HTTP receiver on 127.0.0.1 (http.server in a
thread) that records each POST and answers the statuses it is told to, and endpoints made
through the service."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from medmentor.accounts.models import User
from medmentor.programs.models import Program
from medmentor.webhooks.models import SUBSCRIBABLE, Endpoint
from medmentor.webhooks.services import endpoint_create


@dataclass(frozen=True)
class Received:
    path: str
    headers: Message  # names in any case, as HTTP has them
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str = ""
    answers: deque[int] = field(default_factory=deque)  # statuses to answer, then 200
    received: list[Received] = field(default_factory=list)

    def answer(self, *statuses: int) -> None:
        self.answers.extend(statuses)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        receiver = self.server.receiver
        receiver.received.append(Received(self.path, self.headers, body))
        status = receiver.answers.popleft() if receiver.answers else 200
        text = b"ok" if status < 300 else b"Internal trouble: " + b"x" * 1000
        self.send_response(status)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


class _Server(ThreadingHTTPServer):
    receiver: Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.receiver = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hooks")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def make_endpoint(
    program: Program, by: User, url: str, events: Sequence[str] = tuple(SUBSCRIBABLE)
) -> tuple[Endpoint, str]:
    return endpoint_create(program=program, by=by, url=url, events=list(events))
