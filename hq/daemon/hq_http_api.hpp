#pragma once
// HQ's HTTP API (docs/hq.md): thin routes over HomeService. Bodies are small JSON objects parsed
// strictly (hq/core/request_bodies.hpp); every failure is a problem document.
#include <httplib.h>

#include <functional>

#include "core/time_source.hpp"
#include "hq/core/home_service.hpp"
#include "hq/core/request_bodies.hpp"
#include "hq/core/source_limiter.hpp"

namespace hq {

/// Adds the routes, the body limit and the error handlers to server; service, limiter and time
/// must outlive it. Unauthenticated requests (registration, order polls) are admitted through
/// limiter, per source address. wake_worker is called after a certificate order is accepted.
void add_hq_routes(httplib::Server& server, HomeService& service, SourceLimiter& limiter,
                   const rca::TimeSource& time, std::function<void()> wake_worker);

}  // namespace hq
