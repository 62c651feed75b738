#!/usr/bin/env python3
"""The processes crash_safety.py kills: the router-ca daemon (start, health, SIGKILL, the admin
CLI) and the devices, real device-enrol runs that pair and renew, whose certificate folders are
checked after every run. Standard library and python3-cryptography.
"""
import http.client
import json
import os
import signal
import ssl
import subprocess
import sys
import threading
import time

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
except ImportError as e:  # the shell wrapper checks too; never pass without the library
    print(f"FAIL: python3-cryptography is not importable ({e}); scripts/setup.sh installs it")
    sys.exit(1)

# device-enrol exit codes (device-enrol --help): 3 is "router unreachable", what a client sees
# while the daemon is down or is killed mid-answer; it retries those.
EXIT_UNREACHABLE = 3


class Failure(Exception):
    pass


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
