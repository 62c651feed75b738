#pragma once
// A small HTTPS page served with the device's own certificate, so a browser that has the
// router's root installed shows a padlock for https://<name>.<domain>/. It reloads the files
// after every renewal, which is the behaviour any real service on the device needs too. It also
// asks for an optional client certificate, accepts one only if it chains to the home root and a
// current CRL does not list it, and shows the verified device's name: what a device needs to let
// other home devices in by certificate. With a public certificate installed (docs/hq.md), it
// presents that one to clients asking for the public name.
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
    /// How often the router's CRL is fetched again. An hour: a revocation reaches the page
    /// within it, for one small request to the router per hour.
    std::chrono::milliseconds crl_refresh_every{std::chrono::hours(1)};
};

/// Serves DIR/chain.pem + DIR/key.pem on `listen` until `stop` becomes true, restarting the
/// server with the new files whenever a completed install or a new DIR/crl.pem changes them.
/// When a public certificate is installed, a client whose SNI is its name gets
/// DIR/public-chain.pem + DIR/public-key.pem instead (sni_choice.hpp).
Result<Done> serve_demo(const DemoOptions& options, const std::atomic<bool>& stop, const Log& log);

}  // namespace denrol
