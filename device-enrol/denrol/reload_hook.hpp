#pragma once
// The user's reload command, run after every certificate change so the services that use the
// files (a web server, an MQTT client) pick up the new ones.
#include <string>

namespace denrol {

/// How a hook command ended.
struct HookOutcome {
    bool ok = false;          ///< exited with status 0
    std::string description;  ///< "exit status 0", "killed by signal 9", "could not start: ..."
};

/// Runs `command` via /bin/sh -c, waits for it, and says how it ended. `cert_dir` is passed to
/// the command as $DEVICE_ENROL_DIR so one script can serve several directories.
HookOutcome run_hook(const std::string& command, const std::string& cert_dir);

}  // namespace denrol
