#pragma once
// The web UI on the daemon's HTTPS listener: the embedded static pages at /, the public
// root-install downloads, and the JSON admin API under /api/v1/admin/ (docs/admin-api.md).
#include <botan/rng.h>
#include <httplib.h>

#include <functional>
#include <memory>

#include "admin/admin_account.hpp"
#include "admin/admin_operations.hpp"
#include "admin/data_backup.hpp"

namespace rca {

/// Writes the problem document for an error. The daemon passes its one mapping
/// (daemon/problem.cpp), so that both APIs answer alike without rca_admin depending on the
/// daemon.
using ProblemWriter = std::function<void(httplib::Response&, const Error&)>;

/// What the admin UI needs from the daemon.
struct AdminUi {
    AdminContext& context;  ///< with context.account set
    Botan::RandomNumberGenerator& rng;
    DataPaths paths;                   ///< for backups
    admin::DatabaseSnapshot snapshot;  ///< consistent database copy, for backups
    ProblemWriter send_problem;
    std::shared_ptr<void> routes = nullptr;  ///< set by register_admin_ui: its handlers' state
};

/// The cookie that carries the session id. The __Host- prefix (RFC 6265bis 4.1.3.2) makes
/// browsers refuse it unless it is Secure, has Path=/ and no Domain, so no other host can set it.
inline constexpr const char* kSessionCookie = "__Host-rca_session";

/// Registers the UI's routes on server. `ui` must outlive the server.
void register_admin_ui(httplib::Server& server, AdminUi& ui);

}  // namespace rca
