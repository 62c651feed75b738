#pragma once
// A small HTTPS page served with the device's own certificate, so a browser that has the
// router's root installed shows a padlock for https://<name>.<domain>/. It reloads the files
// after every renewal, which is the behaviour any real service on the device needs too.
#include <atomic>
#include <chrono>
#include <string>

#include "denrol/endpoint.hpp"
#include "denrol/errors.hpp"
#include "denrol/log.hpp"

namespace denrol {

/// What `serve-demo` needs.
struct DemoOptions {
    std::string out_dir;                          ///< the enrolment directory
    Endpoint listen;                              ///< where to listen
    std::chrono::milliseconds check_every{2000};  ///< how often file times are compared
};

/// Serves DIR/chain.pem + DIR/key.pem on `listen` until `stop` becomes true, restarting the
/// server with the new files whenever a completed install changes them.
Result<Done> serve_demo(const DemoOptions& options, const std::atomic<bool>& stop, const Log& log);

}  // namespace denrol
