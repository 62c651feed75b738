#!/usr/bin/env python3
"""What a kill may leave, checked by crash_safety.py: the CA's files (they parse, keys 0600 and
matching), the store (no half-created device, integrity_check ok), the router's own TLS files.
"""
import os
import shutil
import sqlite3
import time

# crash_safety_processes stops with a FAIL line when python3-cryptography is missing.
from crash_safety_processes import (Failure, der, key_public_der, public_der, read_cert,
                                    read_chain)
from cryptography import x509


def check_ca(router, root_der):
    """The CA's files as a crash left them: they parse, keys are 0600 and match."""
    pairs = [("root.key.pem", "root.pem"), ("intermediate.key.pem", "intermediate.pem")]
    for key_name, cert_name in pairs:
        key_path = router.path("ca", key_name)
        try:
            key = key_public_der(key_path)
            cert = read_cert(router.path("ca", cert_name))
        except (OSError, ValueError) as e:
            raise Failure(f"CA file does not parse: {e}")
        mode = os.stat(key_path).st_mode & 0o777
        if mode != 0o600:
            raise Failure(f"{key_path} has mode {mode:o}, not 600")
        if key != public_der(cert):
            raise Failure(f"{key_name} does not match {cert_name}")
    if der(read_cert(router.path("ca", "root.pem"))) != root_der:
        raise Failure("the root certificate changed")
    leftovers = [n for n in os.listdir(router.path("ca")) if ".tmp." in n]
    if leftovers:
        raise Failure(f"half-written temporaries in ca/: {leftovers}")


def check_store(db_path):
    """PRAGMA integrity_check, and no half-created device, from the schema
    (router-ca/store/migrations): a device exists only with its certificate, a certificate only
    with its device and its audit event, and an enrolment request is 'issued' exactly when it
    points at the device and certificate made for it. Returns {serial: DER}."""
    db = sqlite3.connect(db_path)
    try:
        result = db.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise Failure(f"PRAGMA integrity_check: {result}")
        if db.execute("PRAGMA foreign_key_check").fetchall():
            raise Failure(f"foreign keys broken: {db.execute('PRAGMA foreign_key_check').fetchall()}")
        queries = {
            "devices without a certificate":
                "SELECT name FROM devices d"
                " WHERE NOT EXISTS (SELECT 1 FROM certificates c WHERE c.device_id = d.id)",
            "devices whose first certificate is not from their enrolment":
                "SELECT name FROM devices d WHERE source = 'native' AND"
                " (SELECT kind FROM certificates c WHERE c.device_id = d.id"
                "  ORDER BY issued_at, rowid LIMIT 1) != 'enrolment'",
            # A device the pairing window withdrew (a second key asked in its window: a device
            # that lost its answer to a kill and pairs again with a new key) is deleted, and its
            # request is back to overlap (docs/design.md, "Pairing").
            "native devices without the issued request that made them":
                "SELECT name FROM devices d WHERE source = 'native' AND deleted_at IS NULL"
                " AND NOT EXISTS"
                " (SELECT 1 FROM enrolment_requests r"
                "  WHERE r.device_id = d.id AND r.status = 'issued')",
            "issued requests without their device and certificate":
                "SELECT id FROM enrolment_requests r WHERE status = 'issued' AND NOT EXISTS"
                " (SELECT 1 FROM certificates c"
                "  WHERE c.serial = r.cert_serial AND c.device_id = r.device_id)",
            "undecided or refused requests holding a device or certificate":
                "SELECT id FROM enrolment_requests WHERE status != 'issued'"
                " AND (device_id IS NOT NULL OR cert_serial IS NOT NULL)",
            "certificates without their audit event":
                "SELECT serial FROM certificates c WHERE NOT EXISTS (SELECT 1 FROM audit_log a"
                " WHERE a.event IN ('cert.issued', 'cert.renewed')"
                " AND instr(a.detail, c.serial) > 0)",
        }
        for what, sql in queries.items():
            rows = db.execute(sql).fetchall()
            if rows:
                raise Failure(f"{what}: {rows}")
        stored = {}
        for serial, blob in db.execute("SELECT serial, der FROM certificates"):
            number = int(serial, 16)
            if number in stored:
                raise Failure(f"serial {serial} stored twice")
            stored[number] = bytes(blob)
            if x509.load_der_x509_certificate(bytes(blob)).serial_number != number:
                raise Failure(f"stored certificate {serial} has another serial inside")
        return stored
    finally:
        db.close()


def check_server_files(router):
    """The router's own TLS key and chain, once a start has checked them: matching, the key
    0600, and no temporary a killed write left."""
    server_key = router.path("server", "key.pem")
    if key_public_der(server_key) != public_der(read_chain(router.path("server", "chain.pem"))[0]):
        raise Failure("the router's server/key.pem does not match server/chain.pem")
    if os.stat(server_key).st_mode & 0o777 != 0o600:
        raise Failure("server/key.pem is not mode 600")
    leftovers = [n for n in os.listdir(router.path("server")) if ".tmp." in n]
    if leftovers:
        raise Failure(f"half-written temporaries in server/: {leftovers}")


CA_FILES = ["intermediate.key.pem", "intermediate.pem", "root.key.pem", "root.pem"]


def wait_for_first_file(router, folders, timeout=30):
    """Returns once the daemon has written a first file into one of `folders`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and router.proc.poll() is None:
        for folder in folders:
            path = router.path(folder)
            if os.path.isdir(path) and os.listdir(path):
                return
        time.sleep(0.001)


def check_crash_state(router, snapshot_dir, root_der):
    """The database and CA exactly as the kill left them, checked on a copy so that the daemon
    still does its own recovery of the WAL at its next start."""
    shutil.rmtree(snapshot_dir, ignore_errors=True)
    os.makedirs(snapshot_dir)
    for suffix in ("", "-wal"):
        source = router.path("router-ca.db" + suffix)
        if os.path.exists(source):
            shutil.copy(source, os.path.join(snapshot_dir, "router-ca.db" + suffix))
    if os.path.exists(os.path.join(snapshot_dir, "router-ca.db")):
        check_store(os.path.join(snapshot_dir, "router-ca.db"))
    if root_der is not None:
        check_ca(router, root_der)
