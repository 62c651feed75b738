#!/usr/bin/env bash
# Crash safety (issue 8): the daemon is killed with SIGKILL 9 times in its first start (while it
# writes its CA and its own certificate) and 15 times at random moments while devices pair, one
# button press each, and four renew at once over mutual TLS, and device-enrol's own renewals are
# killed too (crash_safety.py, which restarts the daemon after each kill and lets clients retry).
# Afterwards every certificate a device installed is in the store, no serial is used twice, no
# device is half-created, PRAGMA integrity_check is ok (also on the files as each kill left them),
# the CA's keys are intact, 0600 and match their certificates, every device's key and certificate
# parse and match, no half-written temporary is left, and every device still renews. SIGKILL keeps
# the page cache, so what a power cut needs on top, an fsync before each rename, is checked here in
# the source: every write of a key or certificate on either side goes through
# files/atomic_file.cpp.
#
# CRASH_SEED picks the kill schedule (printed; default: from the clock). About 60-90 s on a
# loaded 2-core machine.
source "$(dirname "$0")/lib.sh"
SRC="$(cd "$(dirname "$0")/../.." && pwd)"

python3 -c 'import cryptography.x509' 2>"$WORK/import.err" ||
  fail "python3 cannot import cryptography (python3-cryptography, installed by scripts/setup.sh): $(cat "$WORK/import.err")"

# --- the source: no key or certificate is written except through the atomic, fsynced writer ----
# Every place in router-ca/ and device-enrol/ that creates or writes a file, with why it is not a
# key or certificate written in place. A new one makes this fail until it is looked at.
allowed='^(router-ca/files/atomic_file\.cpp|router-ca/admin/data_backup\.cpp|device-enrol/denrol/router_client\.cpp|device-enrol/denrol/enrolment_dir\.cpp):'
# atomic_file.cpp       the writer itself: temporary, fsync, rename, fsync of the folder
# data_backup.cpp       restore: every file into a new folder, each fsynced, swapped in by renameat2
# router_client.cpp     the pinned root copied to a private temporary for OpenSSL, never kept
# enrolment_dir.cpp     its .lock file (empty; flock only)
(cd "$SRC" && grep -rnE 'ofstream|fopen\([^)]*"[wa]|O_WRONLY|O_RDWR|O_CREAT|fwrite|::write\(|mkstemp|copy_file' \
  router-ca device-enrol --include='*.cpp' --include='*.hpp') >"$WORK/writes.txt" || true
grep -vE '(wake|stop_pipe)' "$WORK/writes.txt" | grep -vE "$allowed" >"$WORK/unexpected.txt" || true
[ ! -s "$WORK/unexpected.txt" ] || fail "files written without files::write_atomic: $(cat "$WORK/unexpected.txt")"
grep -qE 'fsync\(file\.fd\)' "$SRC/router-ca/files/atomic_file.cpp" &&
  grep -qE '::rename\(tmp' "$SRC/router-ca/files/atomic_file.cpp" &&
  grep -qE 'sync_dir\(parent_of\(path\)\)' "$SRC/router-ca/files/atomic_file.cpp" ||
  fail "files::write_atomic no longer fsyncs the temporary, renames it and fsyncs the folder"
ok "every key and certificate write goes through files::write_atomic (fsync, rename, fsync dir); $(wc -l <"$WORK/writes.txt") write sites reviewed"

# --- the run ---------------------------------------------------------------------------------
seed=${CRASH_SEED:-$(date +%s)}
echo "CRASH_SEED=$seed (rerun with this to repeat the kill schedule)"
# device-enrol keeps a temporary copy of the root in TMPDIR while it runs; a killed one leaves it
# behind, so keep those inside $WORK.
TMPDIR="$WORK" python3 "$(dirname "$0")/crash_safety.py" --router-ca "$ROUTER_CA" \
  --device-enrol "$DEVICE_ENROL" --work "$WORK" --port "$(free_port)" --dns-port "$(free_port)" \
  --seed "$seed" || fail "crash_safety.py (above); CRASH_SEED=$seed"
ok "crash_safety.py: every invariant held (CRASH_SEED=$seed)"
finish
