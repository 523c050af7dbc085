"""Serve a folder over HTTP on 127.0.0.1 with ETag / Last-Modified, for benchmarks.

Python's ``http.server`` answers every request in full; real servers (and USTR's)
answer a conditional GET with 304, which is what makes an unchanged second run
cheap. This handler adds exactly that: a strong ETag from the file's sha256 and
``If-None-Match`` → 304.
"""
from __future__ import annotations

import hashlib
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _ConditionalHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep benchmark output readable
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_file():
            etag = '"' + hashlib.sha256(path.read_bytes()).hexdigest()[:32] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return None
            self._etag = etag
        return super().send_head()

    def end_headers(self):
        etag = getattr(self, "_etag", None)
        if etag:
            self.send_header("ETag", etag)
            self._etag = None
        super().end_headers()


class CorpusServer:
    """A background HTTP server for ``root``; use as a context manager."""

    def __init__(self, root: Path):
        handler = partial(_ConditionalHandler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "CorpusServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
