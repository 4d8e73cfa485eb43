# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP listeners (main and VBS), make_server and the command line."""

import argparse
import json
import os
import re
import socket
import ssl
import subprocess
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import yaml

from .control import CONTROL_ENDPOINTS
from .emulator import Emulator
from .profiles import PROFILES, STRICT
from .wire import CONTROL_PREFIX, MAIN, VBS, ApiError, Request


class Handler(BaseHTTPRequestHandler):
    """One connection to one address: control requests, faults, latency, then the emulator's dispatch."""

    protocol_version = "HTTP/1.1"
    server_version = "cbr-emulator/0.1"
    emulator = None  # set by make_server
    listener = MAIN  # or VBS

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm and the client's
        # delayed ACK add about 40 ms to every answer on a kept-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Quiet: the request log is available at /__emulator__/requests."""

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status, headers, body):
        payload = b"" if body is None else json.dumps(body).encode("utf-8")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if payload:
            self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _handle(self):
        split = urlsplit(self.path)
        body = self._body()
        emulator = self.emulator
        if split.path.startswith(CONTROL_PREFIX):
            parsed = json.loads(body.decode("utf-8")) if body else None
            status, answer = emulator.control(self.command, split.path[len(CONTROL_PREFIX) :], parsed)
            return self._send(status, {}, answer)
        headers = {k.lower(): v for k, v in self.headers.items()}
        region, path = emulator.split_region(split.path)
        request = Request(self.command, path, parse_qsl(split.query, keep_blank_values=True), headers, body)
        request.raw_path, request.region, request.listener = split.path, region, self.listener
        if emulator.latency_ms:
            time.sleep(emulator.latency_ms / 1000.0)
        request_id = uuid.uuid4().hex
        fault = emulator.take_fault(request.method, request.path)
        if fault is not None and fault.expire_tokens:
            emulator.revoke_tokens({})
            fault = None
        if fault is not None and not (fault.after_apply or fault.answer_fault):
            emulator.record(request, "dropped" if fault.drop else fault.status)
            return self._fault(fault, request_id)
        try:
            status, extra_headers, answer = emulator.dispatch(request)
        except ApiError as error:
            status, extra_headers, answer = error.status, {}, error.body
        except Exception as error:  # pylint: disable=broad-except
            status, extra_headers, answer = (
                500,
                {},
                {"error_code": "BackupService.9910", "error_msg": "Unknown error: %s" % error},
            )
        if fault is not None and fault.answer_fault:
            emulator.record(request, fault.answer_fault)
            extra_headers["X-Request-Id"] = request_id
            return self._mangled(fault, status, extra_headers, answer)
        if fault is not None:
            emulator.record(request, "dropped" if fault.drop else fault.status)
            return self._fault(fault, request_id)
        emulator.record(request, status)
        extra_headers["X-Request-Id"] = request_id
        return self._send(status, extra_headers, answer)

    def _mangled(self, fault, status, headers, answer):
        """The answer cut short, sent slowly, or replaced by a huge one (FaultRule's faults of the answer)."""
        self.close_connection = True
        payload = b"" if answer is None else json.dumps(answer).encode("utf-8")
        if fault.huge_body_mb:
            status, size = 200, fault.huge_body_mb * 1024 * 1024
            headers = dict(headers, **({"Content-Length": str(size)} if fault.length_header else {}))
        self.send_response(status)
        for name, value in dict(headers, **{"Content-Type": "application/json;charset=UTF-8"}).items():
            self.send_header(name, value)
        try:
            if fault.cut_body:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                half = payload[: max(1, len(payload) // 2)]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(half), half))
                self.wfile.flush()
                return self._drop()
            if fault.huge_body_mb:
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(b'{"padding": "')
                block = b"x" * 65536
                for _block_number in range(size // len(block)):
                    self.wfile.write(block)
                return self.wfile.write(b'"}')
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            for byte in range(len(payload)):
                self.wfile.write(payload[byte : byte + 1])
                self.wfile.flush()
                time.sleep(fault.slow_body)
        except OSError:
            pass  # the client gave up: what these faults are for

    def _fault(self, fault, request_id):
        if fault.drop:
            return self._drop()
        headers = {"X-Request-Id": request_id}
        if fault.retry_after is not None:
            headers["Retry-After"] = str(fault.retry_after)
        if fault.redirect:
            headers["Location"] = fault.redirect
        return self._send(fault.status, headers, fault.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle


def load_fixture(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class EmulatorServer(ThreadingHTTPServer):
    """The main address; serving it also serves the VBS address (vbs_server) from a thread."""

    daemon_threads = True
    vbs_server = None
    vbs_thread = None

    def serve_forever(self, poll_interval=0.5):
        self.vbs_thread = threading.Thread(target=self.vbs_server.serve_forever, args=(poll_interval,), daemon=True)
        self.vbs_thread.start()
        super().serve_forever(poll_interval)

    def shutdown(self):
        if self.vbs_thread is not None:
            self.vbs_server.shutdown()
        super().shutdown()

    def server_close(self):
        self.vbs_server.server_close()
        super().server_close()


def _listen(server_class, emulator, listener, host, port, tls_context):
    handler = type("BoundHandler", (Handler,), {"emulator": emulator, "listener": listener})
    server = server_class((host, port), handler)
    server.daemon_threads = True
    if tls_context is not None:
        server.socket = tls_context.wrap_socket(server.socket, server_side=True)
    return server, "%s://%s:%d" % ("https" if tls_context else "http", host, server.server_address[1])


def make_server(
    fixture,
    host="127.0.0.1",
    port=0,
    latency_ms=0,
    tls_cert=None,
    tls_key=None,
    profile=STRICT,
    rate_limit=0,
    vbs_port=0,
):
    """A ready (not yet serving) server; its emulator is at server.emulator. HTTPS with tls_cert/tls_key.

    serve_forever / shutdown / server_close also run the VBS listener (server.vbs_server, emulator.vbs_url).
    """
    emulator = Emulator(fixture, latency_ms=latency_ms, profile=profile, rate_limit=rate_limit)
    context = None
    if tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls_cert, tls_key)
    server, emulator.base_url = _listen(EmulatorServer, emulator, MAIN, host, port, context)
    server.vbs_server, emulator.vbs_url = _listen(ThreadingHTTPServer, emulator, VBS, host, vbs_port, context)
    server.emulator = emulator
    emulator.server = server
    return server


def main(argv=None):
    """The command line: serve until interrupted, or only while `-- COMMAND` runs (its exit code is returned)."""
    epilog = "control endpoints (under %s):\n%s" % (
        CONTROL_PREFIX,
        "\n".join(
            "  %-6s %-26s %s" % (method, re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", path), what)
            for method, path, _handler, what in CONTROL_ENDPOINTS
        ),
    )
    parser = argparse.ArgumentParser(
        description="A local emulator of CBR backup sharing, IAM tokens and VBS sharing.",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--fixture", required=True, help="YAML fixture with projects, vaults and backups")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--latency-ms", type=int, default=0, help="delay added to every API request")
    parser.add_argument("--vbs-port", type=int, default=0, help="port of the VBS address; 0 picks a free port")
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default=STRICT,
        help="answers to what no source settles (docs/api_notes.md §unconfirmed)",
    )
    parser.add_argument(
        "--rate-limit",
        type=float,
        default=0,
        help="requests per second per user or access key, beyond which 429 APIG.0308; 0 = off",
    )
    parser.add_argument("--url-file", help="also write the base URL to this file, once serving")
    parser.add_argument("--vbs-url-file", help="also write the VBS URL to this file, once serving")
    parser.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate (and --tls-key)")
    parser.add_argument("--tls-key", help="the PEM private key of --tls-cert")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND: serve only while it runs")
    args = parser.parse_args(argv)
    server = make_server(
        load_fixture(args.fixture),
        args.host,
        args.port,
        args.latency_ms,
        args.tls_cert,
        args.tls_key,
        profile=args.profile,
        rate_limit=args.rate_limit,
        vbs_port=args.vbs_port,
    )
    emulator = server.emulator
    print(emulator.base_url, flush=True)
    print(emulator.vbs_url, flush=True)
    # Two files, one URL each: readers take a url file whole (molecule's file lookup).
    for path, url in ((args.url_file, emulator.base_url), (args.vbs_url_file, emulator.vbs_url)):
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(url)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if command:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            env = dict(os.environ, CBR_EMULATOR_URL=emulator.base_url, CBR_EMULATOR_VBS_URL=emulator.vbs_url)
            return subprocess.call(command, env=env)
        finally:
            server.shutdown()
            server.server_close()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
