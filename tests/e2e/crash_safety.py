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
import os
import random
import shutil
import sys
import threading
import time

# crash_safety_processes (which both import) stops with a FAIL line without python3-cryptography.
from crash_safety_checks import (CA_FILES, check_ca, check_crash_state, check_server_files,
                                 check_store, wait_for_first_file)
from crash_safety_processes import Devices, Failure, Router, Stats, der, read_cert, say
from cryptography import x509
from cryptography.hazmat.primitives import hashes

ROUTER = None  # the daemon, killed on any exit of this script


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
