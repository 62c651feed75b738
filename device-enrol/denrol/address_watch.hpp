#pragma once
// `run`'s eye on the device's LAN address: between renewals it looks, every so often, at the
// address the kernel would use to reach the router, and reports a change to the router at once
// (issue 3, Keeping addresses current). Time and the address come in through Clock and
// AddressProbe, so tests script both.
#include <chrono>

#include "denrol/address_probe.hpp"
#include "denrol/address_report.hpp"
#include "denrol/clock.hpp"
#include "denrol/enrolment_dir.hpp"
#include "denrol/log.hpp"
#include "denrol/router_client.hpp"

namespace denrol {

/// How often `run` looks at its address: one local system call, no packet; 30 s keeps the
/// router's DNS record (TTL 60 s) at most about a minute and a half behind a DHCP change.
inline constexpr std::chrono::seconds kAddressCheckInterval{30};

/// Checks the address now and then, and reports changes.
class AddressWatch {
  public:
    /// `every` of zero turns the checks off (sleep_until then just sleeps). All references must
    /// outlive the watch.
    AddressWatch(const EnrolmentDir& dir, const AddressProbe& probe, std::chrono::seconds every,
                 const HttpOptions& http, Clock& clock, const Log& log);

    /// Reports the address if it changed. An Error only when the router refuses this
    /// certificate for good (revoked: pair again) or the directory is broken; anything else is
    /// logged and tried again at a later check.
    Result<Done> check();

    /// Sleeps until `when`, checking on the way. true when `when` came, false when the clock's
    /// wait was stopped; an Error as for check().
    Result<bool> sleep_until(TimePoint when);

  private:
    const EnrolmentDir& dir_;
    const AddressProbe& probe_;
    std::chrono::seconds every_;
    const HttpOptions& http_;
    Clock& clock_;
    const Log& log_;
    std::string refused_;  // an address the router refused; not offered again
};

}  // namespace denrol
