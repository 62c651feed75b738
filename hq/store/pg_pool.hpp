#pragma once
// A small pool of PostgreSQL connections shared by HQ's threads (the API's worker threads and the
// order worker). A libpq connection must not be used by two threads at once, and opening one per
// call costs a TCP handshake, authentication and a server process fork; so each call borrows an
// idle connection (or opens one when none is idle) and gives it back. The pool holds at most as
// many as there were callers at once, which --http-threads bounds. Connections that broke are
// dropped rather than returned, so the next call reconnects.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "hq/store/pg_connection.hpp"

namespace hq::pg {

class Pool {
  public:
    /// Connections are opened with conninfo; the first one at once, so a bad URL, password or
    /// unreachable server fails here (std::runtime_error).
    explicit Pool(std::string conninfo);

    /// A connection lent for the duration of the call; with(...) returns whatever fn returns.
    template <class Fn>
    auto with(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
        Borrowed borrowed(*this);
        return fn(*borrowed.connection);
    }
    /// "database D on HOST:PORT as USER", for logs.
    std::string describe();

  private:
    struct Borrowed {
        explicit Borrowed(Pool& pool);
        ~Borrowed();
        Pool& pool;
        std::unique_ptr<Connection> connection;
    };
    std::string conninfo_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace hq::pg
