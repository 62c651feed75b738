#pragma once
// The router's HTTPS server: cpp-httplib parses and routes requests, and this file owns
// everything about connections, because cpp-httplib 0.11 is thread-per-connection with an
// unbounded queue of accepted sockets and only per-read timeouts.
//
// Why not cpp-httplib's own listen loop: it accepts every connection and queues it for the
// fixed thread pool, so 500 silent connections from one address sit in front of everyone else's;
// its TLS handshake and reads time out per select() call, so a client that sends one byte every
// 9 s holds a worker forever. Its hooks do not help: a custom TaskQueue never sees the socket
// (only a closure), and SSLServer::process_and_close_socket is private, so an override cannot
// call it. What is reachable is Server::process_request (protected): it reads, routes and answers
// one request on any httplib::Stream. So this server
//  - accepts on its own thread and admits each connection through a ConnectionLimiter (per client
//    address and in total); a refused one is reset at once, before any TLS byte, and counted;
//  - gives each admitted connection a worker (as many workers as the total limit, so an admitted
//    connection never waits in a queue);
//  - does the TLS handshake itself on a non-blocking socket against one deadline, and serves
//    requests through a Stream whose reads share one deadline per request and whose writes share
//    one per response: time is bounded per request, not per byte;
//  - on stop, wakes every wait at once instead of letting connections run out their deadlines.
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/connection_limiter.hpp"
#include "daemon/tls_identity.hpp"
#include "dns/socket_fd.hpp"

namespace rca {

/// Time a new connection has to complete its TLS handshake.
inline constexpr std::chrono::seconds kHandshakeDeadline{10};
/// Time a request has, from its first byte, to arrive in full (line, headers and body). Requests
/// are at most 64 KiB on a LAN, so 10 s is generous, and a byte-at-a-time client is cut off.
inline constexpr std::chrono::seconds kRequestDeadline{10};
/// Time a response has to be written in full, from its first byte.
inline constexpr std::chrono::seconds kResponseDeadline{10};
/// Idle time allowed before a request's first byte (after the handshake or between keep-alive
/// requests); an idle connection holds a worker, so this is short.
inline constexpr std::chrono::seconds kKeepAliveIdle{5};
/// Requests per keep-alive connection before it is closed, to free the worker thread.
inline constexpr size_t kKeepAliveRequests = 20;

/// An HTTPS server bounded in connections and time; register routes, then start().
class HttpsServer {
  public:
    /// Listens on host:port (IPv4 or IPv6 numeric; port 0 picks one) presenting what `identity`
    /// gives each handshake; it must outlive the server. Throws std::system_error when it cannot
    /// listen and std::runtime_error when OpenSSL cannot be set up.
    HttpsServer(const TlsCertificateSource& identity, ConnectionLimits limits,
                const std::string& host, int port);
    /// Stops (see stop()).
    ~HttpsServer();
    HttpsServer(const HttpsServer&) = delete;
    HttpsServer& operator=(const HttpsServer&) = delete;

    /// Where routes are registered; its own listen functions must not be used.
    httplib::Server& routes();
    /// The port listened on.
    int port() const { return port_; }
    /// Starts the accepting thread and the workers.
    void start();
    /// Stops accepting, closes every open connection at its next wait and joins all threads;
    /// idempotent.
    void stop();
    /// Connections refused by the limits so far.
    uint64_t refused() const { return limiter_.refused(); }

  private:
    class Router;
    struct Admitted {
        ConnectionLimiter::Slot slot;  // released after the socket below is closed
        dns::SocketFd socket;
    };

    void accept_loop();
    void accept_pending();
    void refuse(dns::SocketFd socket, const std::string& address,
                ConnectionLimiter::Verdict verdict);
    void work();

    std::unique_ptr<Router> router_;
    ConnectionLimiter limiter_;
    dns::SocketFd listener_;
    dns::SocketFd wake_;  // signalled by stop(); every poll() of this server watches it
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<Admitted> queue_;
    std::thread acceptor_;
    std::vector<std::thread> workers_;
};

/// The DER of the TLS peer's certificate, empty when the client sent none.
std::vector<uint8_t> peer_certificate_der(const httplib::Request& req);

}  // namespace rca
