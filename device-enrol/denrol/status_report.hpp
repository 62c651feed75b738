#pragma once
// What `device-enrol status` shows, computed from state.json and a time (pure apart from the
// read of the directory).
#include <string>

#include "denrol/enrolment_dir.hpp"
#include "denrol/errors.hpp"
#include "denrol/renewal_schedule.hpp"
#include "denrol/revocation_list.hpp"

namespace denrol {

/// The public certificate as `status` shows it.
struct PublicStatus {
    std::string offered_name;    ///< the public name the router offered ("" when none)
    bool installed = false;      ///< public-cert.pem exists
    std::string name;            ///< the installed certificate's name
    std::string serial;          ///< its serial
    TimePoint not_after{};       ///< its expiry
    TimePoint renew_at{};        ///< its renewal moment (stable: public_certificate.hpp)
    bool order_pending = false;  ///< an order at HQ is waiting to be picked up
};

/// The device's enrolment as of one moment.
struct StatusReport {
    DeviceState state;           ///< as in state.json
    std::string dir;             ///< where the files are
    TimePoint now;               ///< the moment of the report
    TimePoint renewal_due_at;    ///< start of the renewal window
    bool renewal_due = false;    ///< now is inside the window
    bool expired = false;        ///< now is past not_after
    long days_left = 0;          ///< whole days until not_after, negative once expired
    RevocationCheck revocation;  ///< what the cached CRL says of the certificate
    PublicStatus public_cert;    ///< the public certificate, if any
};

/// The report for `state` at `now`.
StatusReport make_status_report(const DeviceState& state, const std::string& dir, TimePoint now);

/// Reads DIR (recovering an interrupted install first) and reports on it at `now`, with the
/// revocation status from the cached CRL (no network).
Result<StatusReport> read_status(const EnrolmentDir& dir, TimePoint now);

/// Human-readable, one "key: value" per line.
std::string status_text(const StatusReport& report);

/// The same as a JSON object.
std::string status_json(const StatusReport& report);

}  // namespace denrol
