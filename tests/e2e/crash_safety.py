#!/usr/bin/env python3
"""kill -9 during issuance: the real router-ca daemon and real device-enrol processes are killed
with SIGKILL at random moments while devices pair (one button press each) and renew over mutual
TLS; the daemon is restarted after each kill and clients retry. What must hold afterwards:

  * every certificate a device installed is in the store, byte for byte, and no serial was used
    for two certificates;
  * no device is half-created (see check_store) and PRAGMA integrity_check says ok, both on the
    files exactly as each kill left them and at the end;
  * the CA's keys and certificates parse, keys are mode 0600 and match their certificates, and the
    root never changes;
  * a device's key.pem and cert.pem always parse and match, across a committed install
    (enrolment_dir.hpp): never a key from one issuance beside a certificate from another;
  * after the last kill the daemon starts, every device still renews (none stranded), and
    the daemon stops cleanly on SIGTERM.

SIGKILL ends the process, not the machine: the page cache survives, so this proves the order of
writes and the transactions, not that fsync is called; tests/e2e/crash_safety_test.sh checks the
latter in the source. The seed fixes the kill delays and which device runs are killed; the
interleaving of threads still varies between runs. Standard library and python3-cryptography.
"""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import sqlite3
import ssl
import subprocess
import sys
import threading
import time

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
except ImportError as e:  # the shell wrapper checks too; never pass without the library
    print(f"FAIL: python3-cryptography is not importable ({e}); scripts/setup.sh installs it")
    sys.exit(1)

# device-enrol exit codes (device-enrol --help): 3 is "router unreachable", what a client sees
# while the daemon is down or is killed mid-answer; it retries those.
EXIT_UNREACHABLE = 3


class Failure(Exception):
    pass


ROUTER = None  # the daemon, killed on any exit of this script


def say(text):
    print(text, flush=True)


def public_der(obj):
    return obj.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


def read_cert(path):
    with open(path, "rb") as f:
        return x509.load_pem_x509_certificate(f.read())


def key_public_der(path):
    """The public half of a PEM private key, by openssl: Botan 2 writes an EC scalar with a
    leading zero byte one octet short (RFC 5915 section 3 wants the full length), which
    python3-cryptography refuses and OpenSSL, like every TLS stack devices use here, reads."""
    done = subprocess.run(["openssl", "pkey", "-in", path, "-pubout", "-outform", "DER"],
                          capture_output=True)
    if done.returncode != 0:
        raise ValueError(f"{path} is not a private key: {done.stderr.decode(errors='replace')}")
    return done.stdout


def read_chain(path):
    with open(path, "rb") as f:
        return x509.load_pem_x509_certificates(f.read())


def der(cert):
    return cert.public_bytes(serialization.Encoding.DER)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.daemon_kills = 0
        self.device_kills = 0
        self.enrolments = 0
        self.enrol_attempts = 0
        self.renewals = 0
        self.renew_retries = 0
        self.db_snapshots = 0

    def add(self, field, n=1):
        with self.lock:
            setattr(self, field, getattr(self, field) + n)


class Router:
    """One router-ca data directory, served by a daemon that is killed and started again."""

    def __init__(self, args, name="router"):
        self.binary = args.router_ca
        self.dir = os.path.join(args.work, name)
        self.port = args.port
        self.dns_port = args.dns_port
        self.url = f"https://127.0.0.1:{self.port}"
        self.log_path = os.path.join(args.work, name + ".log")
        self.proc = None
        self.started_at = 0.0
        self.starts = 0

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def start(self):
        with open(self.log_path, "ab") as log:
            log.write(f"--- start {self.starts + 1} ---\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                [self.binary, "serve", "--data-dir", self.dir, "--listen",
                 f"127.0.0.1:{self.port}", "--lan-subnet", "127.0.0.0/8", "--dns-listen",
                 f"127.0.0.1:{self.dns_port}", "--mdns", "off", "--pair-guard", "0"],
                stdout=log, stderr=subprocess.STDOUT)
        self.started_at = time.monotonic()
        self.starts += 1

    def log_tail(self, lines=15):
        with open(self.log_path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])

    def check_alive(self):
        """A daemon that exits by itself after a kill did not start cleanly."""
        if self.proc.poll() is not None:
            raise Failure(f"router-ca exited by itself (code {self.proc.returncode}) after start "
                          f"{self.starts}:\n{self.log_tail()}")

    def healthy(self):
        root = self.path("ca", "root.pem")
        if not os.path.exists(root):
            return False
        try:
            context = ssl.create_default_context(cafile=root)
            conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=context, timeout=3)
            conn.request("GET", "/healthz")
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except (OSError, ssl.SSLError, http.client.HTTPException):
            return False

    def wait_healthy(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            if self.healthy():
                return
            time.sleep(0.1)
        raise Failure(f"router-ca did not answer /healthz within {timeout} s:\n{self.log_tail()}")

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.kill9()
            raise Failure("router-ca did not exit within 60 s of SIGTERM")

    def admin(self, *command):
        """A router-ca admin command over the control socket; None while the daemon is down."""
        try:
            done = subprocess.run([self.binary, *command, "--data-dir", self.dir],
                                  capture_output=True, text=True, timeout=20)
        except subprocess.TimeoutExpired:
            return None
        return done.stdout if done.returncode == 0 else None


class Devices:
    """The devices' folders, and every certificate any of them installed (serial -> DER)."""

    def __init__(self, args, router, stats):
        self.binary = args.device_enrol
        self.dir = os.path.join(args.work, "devices")
        self.log_path = os.path.join(args.work, "device.log")
        self.router = router
        self.stats = stats
        self.lock = threading.Lock()
        self.enrolled = []
        self.received = {}
        self.failures = []

    def run(self, *command, kill_after=None):
        """Runs device-enrol; with kill_after, SIGKILLs it that many seconds in if still running.
        Returns (exit code or None when killed, output)."""
        out_path = os.path.join(self.dir, f"out.{threading.get_ident()}")
        with open(out_path, "w+") as out:
            proc = subprocess.Popen([self.binary, *command], stdout=out, stderr=subprocess.STDOUT)
            code = None
            try:
                code = proc.wait(timeout=kill_after if kill_after is not None else 120)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                if kill_after is None:
                    raise Failure(f"device-enrol {' '.join(command)} hung for 120 s")
                self.stats.add("device_kills")
            out.seek(0)
            text = out.read()
        with self.lock, open(self.log_path, "a") as log:
            log.write(f"$ device-enrol {' '.join(command)} -> {code}\n{text}")
        return code, text

    def check_dir(self, path):
        """The bundle a reader gets once any committed install is rolled forward: the file in
        .ready/ (committed, not yet moved) or else the one in the folder. .staging/ is an
        uncommitted install and must not matter."""
        def effective(name):
            ready = os.path.join(path, ".ready", name)
            return ready if os.path.exists(ready) else os.path.join(path, name)
        try:
            key = key_public_der(effective("key.pem"))
            cert = read_cert(effective("cert.pem"))
            chain = read_chain(effective("chain.pem"))
            with open(effective("state.json")) as f:
                state = json.load(f)
        except (OSError, ValueError) as e:
            raise Failure(f"{path}: a file does not parse: {e}")
        if key != public_der(cert):
            raise Failure(f"{path}: key.pem does not match cert.pem (serial {cert.serial_number:x})")
        if der(chain[0]) != der(cert):
            raise Failure(f"{path}: chain.pem does not start with cert.pem")
        if int(state["serial"], 16) != cert.serial_number:
            raise Failure(f"{path}: state.json names serial {state['serial']}, "
                          f"cert.pem is {cert.serial_number:x}")
        keys = [effective("key.pem")]
        renewal_key = os.path.join(path, "renewal-key.pem")  # a renewal sent, not installed
        if os.path.exists(renewal_key):
            try:
                key_public_der(renewal_key)
            except ValueError as e:
                raise Failure(f"{path}: renewal-key.pem does not parse: {e}")
            keys.append(renewal_key)
        for key_path in keys:
            mode = os.stat(key_path).st_mode & 0o777
            if mode != 0o600:
                raise Failure(f"{key_path} has mode {mode:o}, not 600")
        self.note_received(cert)

    def note_received(self, cert):
        with self.lock:
            seen = self.received.get(cert.serial_number)
            if seen is not None and seen != der(cert):
                raise Failure(f"serial {cert.serial_number:x} was used for two certificates")
            self.received[cert.serial_number] = der(cert)

    def enrol(self, index, fingerprint, deadline):
        """Pairs one device the way a user would: one button press for one device. Requests a
        killed daemon never answered stay pending and would make the next press an overlap
        (architecture brief, Onboarding), so the admin denies them before each try."""
        name = f"dev{index}"
        path = os.path.join(self.dir, name)
        while time.monotonic() < deadline:
            self.stats.add("enrol_attempts")
            self.deny_leftovers()
            proc = subprocess.Popen(
                [self.binary, "pair", "--router", self.router.url, "--out", path, "--name", name,
                 "--ca-fingerprint", fingerprint, "--timeout", "30"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            while proc.poll() is None:
                self.router.admin("pair", "--seconds", "10")  # the button; fails while down
                try:
                    proc.wait(timeout=1.0)
                except subprocess.TimeoutExpired:
                    pass
            text = proc.stdout.read()
            with self.lock, open(self.log_path, "a") as log:
                log.write(f"$ device-enrol pair {name} -> {proc.returncode}\n{text}")
            if proc.returncode == 0:
                self.check_dir(path)
                with self.lock:
                    self.enrolled.append(path)
                self.stats.add("enrolments")
                return
        raise Failure(f"{name} did not enrol before the deadline; last output:\n{text}")

    def deny_leftovers(self):
        status = self.router.admin("status", "--json")
        if status is None:
            return
        for request in json.loads(status).get("requests", []):
            if request.get("status") in ("pending", "overlap"):
                self.router.admin("deny", request["id"])

    def renew(self, path, kill_after):
        """One renewal; True when it completed. A stranded device (refused for good) fails."""
        code, text = self.run("renew", "--out", path, "--force", kill_after=kill_after)
        self.check_dir(path)
        if code == 0:
            # An install removes what killed writes left (enrolment_dir.cpp, recover_locked).
            leftovers = [n for n in os.listdir(path) if ".tmp." in n or n == ".staging"]
            if leftovers:
                raise Failure(f"{path}: half-written files after a completed renewal: {leftovers}")
            self.stats.add("renewals")
            return True
        if code is None:
            return False
        self.stats.add("renew_retries")
        if code != EXIT_UNREACHABLE:
            with self.lock:
                self.failures.append(f"{path}: renew exited {code}: {text.strip()}")
        return False


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


def first_start_kills(args, rng):
    """Kills during the very first start, while the CA and the router's own certificate are
    made: each on a new data folder, up to 20 ms after the first file of the CA (ca.new/, ca/)
    or of the router's certificate (server/) appears, or 0 to 0.4 s after the start; then a
    start that must come up with a whole CA and no half-written file. Returns how many kills
    found the CA half-written (ca.new/ present)."""
    global ROUTER
    midway = 0
    for k in range(args.first_start_kills):
        router = ROUTER = Router(args, f"first{k}")
        router.start()
        if k % 3 == 2:
            time.sleep(rng.uniform(0.0, 0.4))
        else:
            wait_for_first_file(router, ("ca.new", "ca") if k % 3 == 0 else ("server",))
            time.sleep(rng.uniform(0.0, 0.02))
        router.kill9()
        ca = sorted(os.listdir(router.path("ca"))) if os.path.isdir(router.path("ca")) else []
        if ca not in ([], CA_FILES):
            raise Failure(f"a kill during the first start left a partial CA in ca/: {ca}")
        if os.path.exists(router.path("ca.new")):
            midway += 1
        router.start()
        router.wait_healthy()
        check_ca(router, der(read_cert(router.path("ca", "root.pem"))))
        check_server_files(router)
        router.kill9()
        shutil.rmtree(router.dir)
    return midway


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


def main():
    global ROUTER
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--router-ca", required=True)
    p.add_argument("--device-enrol", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dns-port", type=int, required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--first-start-kills", type=int, default=9)
    p.add_argument("--daemon-kills", type=int, default=15)
    p.add_argument("--devices", type=int, default=8)
    p.add_argument("--renewers", type=int, default=4)
    p.add_argument("--device-kill-chance", type=float, default=0.3)
    args = p.parse_args()

    began = time.monotonic()
    stats = Stats()
    master = random.Random(args.seed)
    chaos_rng = random.Random(master.random())
    renewer_rngs = [random.Random(master.random()) for _ in range(args.renewers)]

    midway = first_start_kills(args, random.Random(master.random()))
    say(f"ok - {args.first_start_kills} kills during a first start ({midway} while the CA was "
        f"being written): each next start came up with a whole CA, a matching router key and "
        f"certificate, and no half-written temporary")

    router = ROUTER = Router(args)
    devices = Devices(args, router, stats)
    os.makedirs(devices.dir)
    router.start()
    router.wait_healthy()
    root_der = der(read_cert(router.path("ca", "root.pem")))
    fingerprint = x509.load_der_x509_certificate(root_der).fingerprint(hashes.SHA256()).hex()
    say(f"seed {args.seed}: {args.daemon_kills} daemon kills, {args.devices} devices, "
        f"{args.renewers} renewers, device runs killed with chance {args.device_kill_chance}")

    stop = threading.Event()
    errors = []

    def guarded(fn):
        def body():
            try:
                fn()
            except Exception as e:  # any failure ends the whole test, reported once
                errors.append(e)
                stop.set()
        return threading.Thread(target=body)

    def enrol_all():
        deadline = time.monotonic() + 240  # about 40 s here; generous for a loaded CI machine
        for i in range(args.devices):
            if stop.is_set():
                return
            devices.enrol(i, fingerprint, deadline)

    def renewer(index):
        rng = renewer_rngs[index]
        def loop():
            while not stop.is_set():
                with devices.lock:
                    mine = [d for i, d in enumerate(devices.enrolled) if i % args.renewers == index]
                if not mine:
                    time.sleep(0.2)
                    continue
                for path in mine:
                    if stop.is_set():
                        return
                    kill = rng.random() < args.device_kill_chance
                    delay = rng.uniform(0.02, 0.6)
                    if not devices.renew(path, delay if kill else None):
                        time.sleep(0.1)
        return loop

    def chaos():
        # Most kills land while the daemon serves; one in five lands in its first 0.3 s, while it
        # opens the store and loads the CA.
        for k in range(args.daemon_kills):
            early = chaos_rng.random() < 0.2
            delay = chaos_rng.uniform(0.0, 0.3) if early else chaos_rng.uniform(0.5, 3.0)
            while not stop.is_set() and time.monotonic() < router.started_at + delay:
                time.sleep(0.01)
            if stop.is_set():
                return
            router.check_alive()
            router.kill9()
            stats.add("daemon_kills")
            check_crash_state(router, os.path.join(args.work, "snapshot"), root_der)
            stats.add("db_snapshots")
            router.start()

    workers = [guarded(enrol_all)] + [guarded(renewer(i)) for i in range(args.renewers)]
    chaos_thread = guarded(chaos)
    for t in workers + [chaos_thread]:
        t.start()
    chaos_thread.join()
    if not errors:
        say(f"ok - {stats.daemon_kills} daemon kills, each followed by a check of the database "
            f"and CA files as the kill left them: integrity ok, nothing half-created")
        router.wait_healthy()
        say(f"ok - the daemon starts cleanly after the last kill (start {router.starts})")
    # Enrolment runs to completion (no more daemon kills); the renewers stop with it.
    workers[0].join()
    stop.set()
    for t in workers[1:]:
        t.join()
    if errors:
        raise errors[0]
    if devices.failures:
        raise Failure("renewals refused while the daemon was up:\n" + "\n".join(devices.failures))
    say(f"ok - {stats.enrolments} enrolments ({stats.enrol_attempts} attempts) and "
        f"{stats.renewals} renewals completed, {stats.renew_retries} retried after the daemon "
        f"died under them, {stats.device_kills} device-enrol runs killed; every device folder "
        f"parsed and matched after each run")

    # No device is stranded: each renews once more (the daemon now stays up).
    for path in devices.enrolled:
        if not devices.renew(path, None):
            raise Failure(f"{path} cannot renew after the crashes: {devices.failures}")
    say(f"ok - all {len(devices.enrolled)} devices renew after the last kill")

    code = router.stop()
    if code != 0:
        raise Failure(f"router-ca exited {code} on SIGTERM:\n{router.log_tail()}")
    stored = check_store(router.path("router-ca.db"))
    check_ca(router, root_der)
    check_server_files(router)
    lost = [f"{s:x}" for s, d in devices.received.items() if stored.get(s) != d]
    if lost:
        raise Failure(f"certificates devices installed but the store lost: {lost}")
    say(f"ok - all {len(devices.received)} certificates the devices installed are in the store "
        f"byte for byte ({len(stored)} stored, none lost, no serial twice); integrity_check ok; "
        f"CA and server keys 0600 and matching, root unchanged")
    say(f"ok - router-ca stops cleanly on SIGTERM")
    say(f"figures: seed {args.seed}, first-start kills {args.first_start_kills} "
        f"({midway} mid-CA), daemon kills {stats.daemon_kills}, device-enrol kills "
        f"{stats.device_kills}, enrolments {stats.enrolments}, renewals {stats.renewals}, "
        f"certificates installed {len(devices.received)}, stored {len(stored)}, lost 0, "
        f"run time {time.monotonic() - began:.0f} s")


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        print(f"FAIL: {e}", flush=True)
        sys.exit(1)
    finally:
        # The daemon is this script's child: never leave it running, whatever happened.
        if ROUTER is not None and ROUTER.proc is not None and ROUTER.proc.poll() is None:
            ROUTER.kill9()
