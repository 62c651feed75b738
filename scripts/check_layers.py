#!/usr/bin/env python3
"""Checks the floors of the house (docs/design.md, "Map"): reads every #include of router-ca/,
device-enrol/ and hq/ and fails, naming the file and line, when

  (a) an include runs back up a floor (a folder includes a folder on a higher floor),
  (b) folders include each other in a circle (possible between folders of one floor),
  (c) router-ca/core or router-ca/acme includes a socket, file, SQLite, Avahi or HTTP header
      (house style #1: the pure core has no sockets, files, SQLite, Avahi or clock),
  (d) a folder holding source is missing from FLOORS (a new folder must be given its floor).

usage: scripts/check_layers.py [--root DIR]     (default: the checkout this script is in)
Exits 0 when the house keeps its floors, 1 with one line per finding otherwise.
"""
import argparse
import os
import re
import sys

# The floors, bottom (0) to top: a folder may include its own files, folders on lower floors and
# folders on its own floor (as long as no circle forms). Keep docs/design.md's map in step.
FLOORS = {
    # Leaves: small pieces that know nothing of the CA.
    "router-ca/common": 0,  # header-only helpers: results, option tables, ASCII case
    "router-ca/files": 0,  # atomic files and the data directory's paths
    "router-ca/entropy": 0,  # the kernel's random pool
    "router-ca/net": 0,  # connection limits, the neighbour table
    # Wire formats shared with the device and HQ.
    "router-ca/wire": 1,  # enrolment JSON, fingerprints, the router's mDNS advert
    "router-ca/jose": 1,  # JWS/JWK for ACME
    # The pure core: CA, pairing, names, zone (no sockets, files, SQLite, Avahi or clock).
    "router-ca/core": 2,
    # Services on the core, each behind interfaces the core or they declare.
    "router-ca/acme": 3,  # ACME decisions (RFC 8555), pure like the core
    "router-ca/dns": 3,  # the DNS responder
    "router-ca/mdns": 3,  # the Avahi publisher
    "router-ca/psl": 3,  # the public suffix list source
    "device-enrol/denrol": 3,  # the device's library: shares only wire types with the router
    # Adapters that implement the services' interfaces, and the admin's operations.
    "router-ca/store": 4,  # SQLite, implementing core/store.hpp and acme/acme_store.hpp
    "router-ca/admin": 4,  # admin operations, web UI API, backups
    # The shells: the daemon composes everything; the CLIs and HQ sit on top.
    "router-ca/daemon": 5,
    "router-ca/cli": 6,
    "device-enrol/cli": 6,
    # HQ, the vendor's service, reuses router-ca's pieces (and the daemon's log line format).
    "hq/core": 6,
    "hq/acme": 7,
    "hq/store": 7,
    "hq/daemon": 8,
}

# Roots whose sources are read; an include "x/y.hpp" is looked for next to the including file,
# then under each of these (the include directories the CMake targets set).
SOURCE_ROOTS = ["router-ca", "device-enrol", "hq"]
INCLUDE_ROOTS = ["", "router-ca", "device-enrol"]
SOURCE_ENDINGS = (".cpp", ".hpp", ".h", ".cc", ".inc")

# (c) Headers of I/O the pure folders must not include: sockets and addresses, files and
# directories, processes, SQLite, Avahi, HTTP, TLS connections.
PURE_FOLDERS = ["router-ca/core", "router-ca/acme"]
IO_HEADERS = re.compile(
    r"^(sys/.*|netinet/.*|arpa/.*|net/if.*|netdb\.h|ifaddrs\.h|poll\.h|unistd\.h|fcntl\.h"
    r"|dirent\.h|fstream|filesystem|cstdio|stdio\.h|sqlite3\.h|avahi-.*|httplib\.h"
    r"|openssl/ssl\.h|openssl/bio\.h|curl/.*)$"
)

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def folder_of(path):
    """router-ca/core/ipv6.cpp -> router-ca/core (sub-folders belong to their folder)."""
    parts = path.split("/")
    return "/".join(parts[:2]) if len(parts) > 2 else None


def resolve(root, including, target):
    """The checkout-relative path an include "target" names, or None (a generated file)."""
    for base in [os.path.dirname(including)] + INCLUDE_ROOTS:
        candidate = os.path.normpath(os.path.join(base, target))
        if os.path.isfile(os.path.join(root, candidate)):
            return candidate
    return None


def read_includes(root):
    """Yields (file, line number, quote, target) for every #include of the source roots."""
    for source_root in SOURCE_ROOTS:
        for directory, dirs, files in os.walk(os.path.join(root, source_root)):
            dirs.sort()
            for name in sorted(files):
                if not name.endswith(SOURCE_ENDINGS):
                    continue
                path = os.path.relpath(os.path.join(directory, name), root)
                with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if m:
                            yield path, number, m.group(1), m.group(2)


def find_circles(edges):
    """The strongly connected components of more than one folder (Tarjan), each sorted."""
    index, low, on_stack, stack, circles = {}, {}, set(), [], []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return circles


def check(root):
    findings = []
    edges = {}  # folder -> folders it includes
    where = {}  # (folder, folder) -> first "file:line"
    unplaced = set()
    for path, number, quote, target in read_includes(root):
        source = folder_of(path)
        if source is None:
            continue
        if source not in FLOORS:
            unplaced.add(source)
            continue
        if source in PURE_FOLDERS and quote == "<" and IO_HEADERS.match(target):
            findings.append(
                f"{path}:{number}: I/O header <{target}> in {source}, which must stay pure "
                "(no socket, file, SQLite, Avahi or HTTP header)"
            )
        if quote != '"':
            continue
        resolved = resolve(root, path, target)
        if resolved is None:
            continue
        dest = folder_of(resolved)
        if dest is None or dest == source:
            continue
        if dest not in FLOORS:
            unplaced.add(dest)
            continue
        if FLOORS[dest] > FLOORS[source]:
            findings.append(
                f"{path}:{number}: includes {resolved}: {source} (floor {FLOORS[source]}) "
                f"reaches up to {dest} (floor {FLOORS[dest]})"
            )
        edges.setdefault(source, set()).add(dest)
        where.setdefault((source, dest), f"{path}:{number}")
    for circle in find_circles(edges):
        arrows = [
            f"{a} -> {b} ({where[(a, b)]})"
            for a in circle
            for b in circle
            if b in edges.get(a, ())
        ]
        findings.append("circle between " + ", ".join(circle) + ": " + "; ".join(arrows))
    for folder in sorted(unplaced):
        findings.append(f"{folder}: holds source but has no floor: add it to FLOORS")
    return findings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root",
        default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        help="the checkout to read (default: this script's)",
    )
    args = parser.parse_args()
    for source_root in SOURCE_ROOTS:
        if not os.path.isdir(os.path.join(args.root, source_root)):
            print(f"check_layers: {args.root} has no {source_root}/", file=sys.stderr)
            return 2
    findings = check(args.root)
    for finding in findings:
        print(finding)
    count = sum(1 for _ in read_includes(args.root))
    if findings:
        print(f"check_layers: {len(findings)} finding(s) in {count} includes", file=sys.stderr)
        return 1
    print(f"check_layers: {count} includes keep their floors; no circle; core and acme pure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
