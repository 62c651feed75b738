#pragma once
// cpp-httplib's SSLServer set up for a router: the router's own certificate, client certificates
// requested but optional (only renewals need one), and limits on threads, body size and time,
// because cpp-httplib is thread-per-connection with unlimited bodies by default.
#include <httplib.h>

#include <memory>
#include <string>

#include "daemon/tls_identity.hpp"
#include "wire/enrolment_wire.hpp"

namespace rca {

/// How long a connection may stay silent while a request is being read or written; a slow
/// client holds a worker thread, so this is short.
inline constexpr time_t kIoTimeoutSeconds = 10;
/// Requests per keep-alive connection before it is closed, to free the worker thread.
inline constexpr size_t kKeepAliveRequests = 20;
/// Idle time allowed between keep-alive requests.
inline constexpr time_t kKeepAliveSeconds = 5;

/// An HTTPS server presenting `identity` (which must outlive it), with `threads` workers.
std::unique_ptr<httplib::SSLServer> make_https_server(const TlsIdentity& identity, int threads);

/// The DER of the TLS peer's certificate, empty when the client sent none.
std::vector<uint8_t> peer_certificate_der(const httplib::Request& req);

}  // namespace rca
