#pragma once
// The home's public zone at the vendor's HQ (docs/hq.md): once HQ has registered the home, every
// device <label>.<home domain> also has the public alias <label>.<home>.<ZONE>, for which HQ can
// obtain a publicly trusted certificate (issue 6, the "HQ fallback"). The router's HQ link sets
// the holder after registration; the enrolment API, the DNS zone and the status read it. Pure
// apart from a mutex: no I/O.
#include <mutex>
#include <optional>
#include <string>

namespace rca {

/// What HQ answered to the router's registration.
struct PublicHome {
    std::string home;  ///< HQ's name for the home, e.g. "nifty-babbage"
    std::string zone;  ///< <home>.<ZONE>, e.g. "nifty-babbage.vendor-cert.example"
};

/// The public alias of a device or of the router: <label>.<home>.<ZONE>.
std::string public_name(const PublicHome& home, const std::string& label);

/// A thread-safe slot for the current PublicHome; empty while the router has no HQ home (no
/// --hq-url, or HQ not reached yet).
class PublicHomeHolder {
  public:
    void set(std::optional<PublicHome> home);
    std::optional<PublicHome> get() const;

  private:
    mutable std::mutex mutex_;
    std::optional<PublicHome> home_;
};

}  // namespace rca
