#pragma once
// HQ's HTTP API (docs/hq.md): thin routes over HomeService. Bodies are small JSON objects parsed
// strictly (no duplicate or unknown members); every failure is a problem document.
#include <httplib.h>

#include <functional>

#include "hq/core/home_service.hpp"

namespace hq {

/// Request bodies above this are refused with 413 before they are read: the largest legitimate
/// body is a CSR with an RSA-4096 key, under 4 KiB of PEM.
inline constexpr size_t kMaxBodyBytes = 16 * 1024;

/// Adds the routes, the body limit and the error handlers to server; service must outlive it.
/// wake_worker is called after a certificate order is accepted.
void add_hq_routes(httplib::Server& server, HomeService& service,
                   std::function<void()> wake_worker);

}  // namespace hq
