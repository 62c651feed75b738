#include "hq/store/pg_pool.hpp"

namespace hq::pg {

Pool::Pool(std::string conninfo) : conninfo_(std::move(conninfo)) {
    idle_.push_back(std::make_unique<Connection>(conninfo_));
}

std::string Pool::describe() {
    return with([](Connection& db) { return db.describe(); });
}

Pool::Borrowed::Borrowed(Pool& owner) : pool(owner) {
    {
        const std::lock_guard<std::mutex> lock(pool.mutex_);
        if (!pool.idle_.empty()) {
            connection = std::move(pool.idle_.back());
            pool.idle_.pop_back();
        }
    }
    // Opened outside the lock: a slow connect must not hold up the threads that have one.
    if (!connection) connection = std::make_unique<Connection>(pool.conninfo_);
}

Pool::Borrowed::~Borrowed() {
    if (!connection->healthy()) return;  // dropped; the next borrower opens a fresh one
    const std::lock_guard<std::mutex> lock(pool.mutex_);
    pool.idle_.push_back(std::move(connection));
}

}  // namespace hq::pg
