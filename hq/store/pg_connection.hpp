#pragma once
// A thin RAII layer over libpq for HQ's PostgreSQL store: one connection, its results, and
// parameters that are always bound ($1, $2, ...) and never spliced into SQL text. Not thread-safe:
// a connection is used by one thread at a time (pg_pool.hpp hands them out).
#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace hq::pg {

/// One query's result; the row and column accessors throw std::runtime_error when out of range.
class Result {
  public:
    explicit Result(PGresult* result) : result_(result, &PQclear) {}
    /// Rows returned (or, for a command without RETURNING, 0).
    int rows() const;
    /// Rows a command changed (UPDATE, DELETE, INSERT).
    int64_t changed() const;
    /// True for SQL NULL.
    bool is_null(int row, int column) const;
    /// The value as text ("" for NULL).
    std::string text(int row, int column) const;
    /// The value as an integer (a BIGINT, INTEGER or count column).
    int64_t int64(int row, int column) const;
    /// A bytea value (text results carry it hex-encoded, "\x...").
    rca::Bytes bytes(int row, int column) const;

  private:
    void check(int row, int column) const;
    std::unique_ptr<PGresult, void (*)(PGresult*)> result_;
};

/// Query parameters in $n order. Text values go as text; Bytes go as binary bytea.
class Params {
  public:
    Params& add(const std::string& text);
    Params& add(int64_t number);
    Params& add(const rca::Bytes& bytes);

  private:
    friend class Connection;
    std::vector<std::string> values_;
    std::vector<int> binary_;
};

/// One open connection. Every failure throws std::runtime_error carrying libpq's message, which
/// never contains the password.
class Connection {
  public:
    /// Connects with a libpq connection string or URI (postgresql://...), giving up after 10 s
    /// unless it sets connect_timeout.
    explicit Connection(const std::string& conninfo);
    /// Runs one statement with its parameters bound; throws on an error status.
    Result exec(const std::string& sql, const Params& params = {});
    /// Runs a script of several statements without parameters (migrations).
    void exec_script(const std::string& sql);
    /// False once the server or the socket has gone: the pool then drops the connection.
    bool healthy() const;
    /// "database D on HOST:PORT as USER" for logs: never the password.
    std::string describe() const;
    /// The libpq handle, for LISTEN/NOTIFY (postgres_change_feed.cpp).
    PGconn* raw() { return conn_.get(); }

  private:
    std::unique_ptr<PGconn, void (*)(PGconn*)> conn_;
};

/// BEGIN on construction, ROLLBACK on destruction unless commit() succeeded: an exception
/// anywhere inside leaves nothing half-written.
class Transaction {
  public:
    explicit Transaction(Connection& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    /// Commits; afterwards the destructor does nothing.
    void commit();

  private:
    Connection& db_;
    bool done_ = false;
};

}  // namespace hq::pg
