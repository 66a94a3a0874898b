#!/usr/bin/env python3
"""rogue-dns.py ADDRESS PORT DIR: a resolver that lies, and the server it
lies for.  Answers every A query on 127.0.0.1:53 (UDP) with ADDRESS, and
every other query with no answer; listens on ADDRESS:PORT (TCP) for
whoever believes it.  Writes to DIR:
  queries  one line per query: the name asked for and the query type;
  peers    one line per connection to ADDRESS:PORT, then what it sent
           (up to a second's worth, then closed);
  ready    once both sockets are bound.
Meant for a private network namespace (tests/integration/test-loopback-dns.sh),
where ADDRESS is a test address on a private interface.
"""
import os
import selectors
import socket
import struct
import sys
import time

# Answers are only ever read by the test's own resolver: keep them short-lived.
TTL = 1
# How long a connection is read from before it is closed.
READ_SECONDS = 1.0


def parse_question(query):
    """The question's name, its type and its raw bytes, or None."""
    labels, i = [], 12
    while i < len(query) and query[i] != 0:
        n = query[i]
        if n & 0xC0:
            return None
        labels.append(query[i + 1:i + 1 + n].decode("ascii", "replace"))
        i += 1 + n
    if i + 5 > len(query):
        return None
    qtype = struct.unpack(">H", query[i + 1:i + 3])[0]
    return ".".join(labels), qtype, query[12:i + 5]


def answer(query, address):
    parsed = parse_question(query)
    if len(query) < 12 or parsed is None:
        return None
    _, qtype, question = parsed
    qid = struct.unpack(">H", query[:2])[0]
    records = b""
    if qtype == 1:
        records = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, TTL, 4) + address
    header = struct.pack(">HHHHHH", qid, 0x8180, 1, 1 if records else 0, 0, 0)
    return header + question + records


def log(path, line):
    with open(path, "a") as f:
        f.write(line + "\n")


def serve_connection(conn, peer, path):
    log(path, "connection from %s" % peer[0])
    conn.settimeout(0.1)
    got = b""
    deadline = time.monotonic() + READ_SECONDS
    while time.monotonic() < deadline:
        try:
            data = conn.recv(4096)
        except socket.timeout:
            continue
        if not data:
            break
        got += data
    log(path, "received %d bytes: %r" % (len(got), got))
    conn.close()


def main():
    address, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    packed = socket.inet_aton(address)
    dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    dns.bind(("127.0.0.1", 53))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, port))
    listener.listen(8)
    open(os.path.join(out, "ready"), "w").close()

    sel = selectors.DefaultSelector()
    sel.register(dns, selectors.EVENT_READ)
    sel.register(listener, selectors.EVENT_READ)
    while True:
        for key, _ in sel.select():
            if key.fileobj is dns:
                query, peer = dns.recvfrom(512)
                parsed = parse_question(query)
                if parsed is not None:
                    log(os.path.join(out, "queries"), "%s %d" % parsed[:2])
                reply = answer(query, packed)
                if reply is not None:
                    dns.sendto(reply, peer)
            else:
                conn, peer = listener.accept()
                serve_connection(conn, peer, os.path.join(out, "peers"))


if __name__ == "__main__":
    main()
