#!/usr/bin/env python3
"""Mixed load for bench/soak.sh: sessions, slow clients and garbage.

    soak_client.py PORT SECONDS ORIGIN OUT_JSON

For SECONDS, on 127.0.0.1:PORT:
  - session workers, each on one keep-alive connection: register (once),
    login, /auth/me, /auth/check (with X-Original-URI), refresh (chaining
    the cookies each answer sets), /auth/me, logout;
  - slow clients, each sending a request header one byte a second until
    the server cuts it off, then starting again;
  - a garbage worker: malformed HTTP, junk and duplicate-key JSON,
    oversized bodies, random bytes.
Every answer with a body must be a JSON envelope (`success` a boolean,
`message` a string); the rest are counted as non-envelope, with a sample.
Writes counts by kind and by status to OUT_JSON. Python 3 stdlib only.
"""

import http.client
import json
import os
import random
import socket
import sys
import threading
import time

SESSION_WORKERS = 4
SLOW_CLIENTS = 3
PASSWORD = "soak password 123"


class Stats:
    """Counters shared by every worker, under one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = {}  # kind -> count
        self.statuses = {}  # status (as text) -> count
        self.non_envelope = 0
        self.non_envelope_samples = []
        self.transport_errors = {}  # kind -> count
        self.slow_cut_off = 0

    def answer(self, kind, status, body):
        ok = True
        if body:
            try:
                doc = json.loads(body)
                ok = (isinstance(doc, dict) and isinstance(doc.get("success"), bool)
                      and isinstance(doc.get("message"), str))
            except ValueError:
                ok = False
        with self.lock:
            self.requests[kind] = self.requests.get(kind, 0) + 1
            self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
            if not ok:
                self.non_envelope += 1
                if len(self.non_envelope_samples) < 10:
                    self.non_envelope_samples.append(
                        {"kind": kind, "status": status, "body": body[:200].decode("latin-1")})
        return ok

    def error(self, kind):
        with self.lock:
            self.transport_errors[kind] = self.transport_errors.get(kind, 0) + 1


def parse_set_cookies(headers):
    """name -> value for each Set-Cookie; an empty value clears the cookie."""
    cookies = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            if "=" in pair:
                k, v = pair.split("=", 1)
                cookies[k.strip()] = v.strip()
    return cookies


class Session:
    """One user on one keep-alive connection, with its cookie jar."""

    def __init__(self, port, origin, stats, index):
        self.port, self.origin, self.stats = port, origin, stats
        self.email = "soak%d@example.test" % index
        self.jar = {}
        self.conn = None

    def request(self, kind, method, path, body=None, headers=None):
        all_headers = {"Origin": self.origin}
        if self.jar:
            all_headers["Cookie"] = "; ".join("%s=%s" % kv for kv in self.jar.items())
        if body is not None:
            all_headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        all_headers.update(headers or {})
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=all_headers)
                resp = self.conn.getresponse()
                data = resp.read()
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    self.stats.error(kind)
                    return None
                continue
            for k, v in parse_set_cookies(resp.getheaders()).items():
                if v:
                    self.jar[k] = v
                else:
                    self.jar.pop(k, None)
            if resp.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            self.stats.answer(kind, resp.status, data)
            return resp.status
        return None

    def run(self, deadline):
        self.request("register", "POST", "/api/v1/auth/register",
                     {"email": self.email, "password": PASSWORD, "name": "Soak"})
        while time.monotonic() < deadline:
            self.jar.clear()
            self.request("login", "POST", "/api/v1/auth/login",
                         {"email": self.email, "password": PASSWORD})
            for _ in range(5):
                self.request("me", "GET", "/api/v1/auth/me")
                self.request("check", "GET", "/api/v1/auth/check",
                             headers={"X-Original-URI": random.choice(["/", "/admin", "/app/x"]),
                                      "X-Original-Method": "GET"})
                self.request("refresh", "POST", "/api/v1/auth/refresh")
                if time.monotonic() >= deadline:
                    break
            self.request("me", "GET", "/api/v1/auth/me")
            self.request("logout", "POST", "/api/v1/auth/logout")
        if self.conn is not None:
            self.conn.close()


def slow_client(port, stats, deadline):
    """Sends one header byte a second until cut off, then starts again."""
    line = b"GET /api/v1/auth/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 4096
    while time.monotonic() < deadline:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError:
            stats.error("slow")
            time.sleep(1)
            continue
        cut = False
        try:
            for byte in line:
                if time.monotonic() >= deadline:
                    break
                s.sendall(bytes([byte]))
                time.sleep(1)
                # Anything the server sent (a 408, or end of stream) ends it.
                s.setblocking(False)
                try:
                    got = s.recv(65536)
                    cut = True
                    if got:
                        read_answer(s, got, "slow", stats)
                except BlockingIOError:
                    pass
                finally:
                    s.setblocking(True)
                if cut:
                    break
        except OSError:
            cut = True
        finally:
            s.close()
        if cut:
            with stats.lock:
                stats.slow_cut_off += 1


def read_answer(s, first, kind, stats):
    """Reads one HTTP answer begun with `first` and records it."""
    data = first
    s.settimeout(10)
    try:
        while b"\r\n\r\n" not in data:
            more = s.recv(65536)
            if not more:
                break
            data += more
        head, _, body = data.partition(b"\r\n\r\n")
        length = None
        for h in head.split(b"\r\n")[1:]:
            name, _, value = h.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while length is not None and len(body) < length:
            more = s.recv(65536)
            if not more:
                break
            body += more
    except (OSError, ValueError):
        stats.error(kind)
        return
    status_line = head.split(b"\r\n", 1)[0].split(b" ")
    if len(status_line) < 2 or not status_line[0].startswith(b"HTTP/"):
        stats.answer(kind, "garbled", data or b"-")
        return
    stats.answer(kind, int(status_line[1]), body[:length] if length is not None else body)


def garbage_payloads(port, origin):
    host = b"Host: 127.0.0.1:%d\r\n" % port
    org = b"Origin: " + origin.encode() + b"\r\n"

    def post(path, body, ctype=b"application/json"):
        return (b"POST " + path + b" HTTP/1.1\r\n" + host + org + b"Content-Type: " + ctype +
                b"\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)

    login = b"/api/v1/auth/login"
    return [
        ("malformed", b"GARBAGE\r\n\r\n"),
        ("malformed", b"GET / HTTP/9.9\r\n" + host + b"\r\n"),
        ("malformed", b"GET /api/v1/auth/me HTTP/1.1\r\n" + host + b"Bad Header\r\n\r\n"),
        ("malformed", b"POST " + login + b" HTTP/1.1\r\n" + host +
         b"Content-Length: -5\r\n\r\n"),
        ("malformed", b"POST " + login + b" HTTP/1.1\r\n" + host +
         b"Transfer-Encoding: chunked\r\n\r\nzz\r\n"),
        ("malformed", b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\n" + host + b"\r\n"),
        ("malformed", b"GET / HTTP/1.1\r\n" + host + b"X-Big: " + b"b" * 20000 + b"\r\n\r\n"),
        ("junk_json", post(login, b"{not json")),
        ("junk_json", post(login, b"[1,2,3]")),
        ("junk_json", post(login, b'{"email": 5, "password": null}')),
        ("junk_json", post(login, b'{"email":"a@b.c","password":"x"}', b"text/plain")),
        ("junk_json", post(b"/api/v1/auth/register", b'{"email":"\xff\xfe","password":"p"}')),
        ("dup_key_json", post(login, b'{"email":"a@b.c","email":"d@e.f","password":"x"}')),
        ("dup_key_json", post(b"/api/v1/auth/register",
                              b'{"email":"x@y.z","password":"aaaaaaaaaaaa","password":"b"}')),
        ("oversized", post(login, b'{"email":"' + b"e" * (2 << 20) + b'"}')),
        ("oversized", b"POST " + login + b" HTTP/1.1\r\n" + host + org +
         b"Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{"),
        ("unknown_path", b"GET /api/v1/nope HTTP/1.1\r\n" + host + b"Connection: close\r\n\r\n"),
        ("wrong_method", b"DELETE /api/v1/auth/login HTTP/1.1\r\n" + host +
         b"Connection: close\r\n\r\n"),
    ]


def garbage_worker(port, origin, stats, deadline):
    payloads = garbage_payloads(port, origin)
    rng = random.Random(13)
    while time.monotonic() < deadline:
        if rng.random() < 0.2:
            kind, payload = "random_bytes", os.urandom(rng.randint(1, 4096))
        else:
            kind, payload = rng.choice(payloads)
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
        except OSError:
            stats.error(kind)
            time.sleep(0.2)
            continue
        try:
            try:
                s.sendall(payload)
            except OSError:
                pass  # cut off mid-body (a 413 before the rest): read what came
            s.shutdown(socket.SHUT_WR) if kind == "random_bytes" else None
            first = s.recv(65536)
            if first:
                read_answer(s, first, kind, stats)
            else:
                with stats.lock:  # closed with no answer
                    stats.requests[kind] = stats.requests.get(kind, 0) + 1
                    stats.statuses["closed"] = stats.statuses.get("closed", 0) + 1
        except OSError:
            stats.error(kind)
        finally:
            s.close()
        time.sleep(0.02)


def main():
    port, seconds, origin, out = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
    stats = Stats()
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=Session(port, origin, stats, i).run, args=(deadline,))
               for i in range(SESSION_WORKERS)]
    threads += [threading.Thread(target=slow_client, args=(port, stats, deadline))
                for _ in range(SLOW_CLIENTS)]
    threads.append(threading.Thread(target=garbage_worker, args=(port, origin, stats, deadline)))
    for t in threads:
        t.daemon = True
        t.start()
    for t in threads:
        t.join(timeout=max(0, deadline - time.monotonic()) + 60)
    with stats.lock:
        doc = {
            "seconds": seconds,
            "requests": dict(sorted(stats.requests.items())),
            "requests_total": sum(stats.requests.values()),
            "statuses": dict(sorted(stats.statuses.items())),
            "non_envelope": stats.non_envelope,
            "non_envelope_samples": stats.non_envelope_samples,
            "transport_errors": dict(sorted(stats.transport_errors.items())),
            "slow_clients_cut_off": stats.slow_cut_off,
        }
    with open(out, "w") as f:
        json.dump(doc, f, indent=1)
    hung = [t for t in threads if t.is_alive()]
    if hung:
        print("soak_client: %d workers still running at the end" % len(hung), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
