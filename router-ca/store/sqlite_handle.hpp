#pragma once
// RAII owners for sqlite3* and sqlite3_stmt*, and a scoped transaction (house style #13). Every
// SQLite error is thrown as std::runtime_error carrying SQLite's message: for the store these are
// I/O failures or bugs (a broken constraint the caller should have checked), not expected errors.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace rca::sqlite {

/// An open database connection; closed when destroyed. Not thread-safe: callers serialise use.
class Connection {
  public:
    /// Opens the database at `path` (created if missing; ":memory:" for a private in-memory one).
    explicit Connection(const std::string& path);
    ~Connection();
    Connection(Connection&& other) noexcept;
    Connection& operator=(Connection&& other) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// The path this connection was opened with, for messages.
    const std::string& path() const { return path_; }
    /// The raw handle, for the odd call this wrapper does not cover.
    sqlite3* get() const { return db_; }

    /// Runs one or more `;`-separated statements that return no rows of interest.
    void exec(const std::string& sql);
    /// The rowid of the last successful INSERT on this connection.
    int64_t last_insert_rowid() const;
    /// Rows changed by the last INSERT, UPDATE or DELETE on this connection.
    int changes() const;

  private:
    friend class Statement;
    void close();

    std::string path_;
    sqlite3* db_ = nullptr;
    /// Prepared statements kept for reuse (Statement with Reuse::keep), idle, by their SQL.
    std::unordered_map<std::string, sqlite3_stmt*> kept_;
};

/// Whether a Statement is prepared for one use, or kept by its connection after use so that the
/// next Statement with the same SQL skips SQLite's parser and planner (for lookups that run on
/// every request: on a poll, preparing cost as much as running).
enum class Reuse { once, keep };

/// A prepared statement; finalized when destroyed. Bind indexes and column indexes follow SQLite:
/// parameters count from 1, result columns from 0.
class Statement {
  public:
    /// Prepares the single statement `sql`; throws naming the SQL if it does not compile. With
    /// Reuse::keep it takes the connection's idle kept statement for `sql` when there is one, and
    /// gives it back reset and unbound when destroyed; the connection must outlive it.
    Statement(Connection& db, const std::string& sql, Reuse reuse = Reuse::once);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    /// Binds an integer to parameter `index`.
    Statement& bind(int index, int64_t value);
    /// Binds text to parameter `index` (copied, so the argument may be a temporary).
    Statement& bind(int index, const std::string& value);
    /// Binds a blob to parameter `index`; an empty vector binds an empty blob, not NULL.
    Statement& bind(int index, const std::vector<uint8_t>& value);
    /// Binds NULL to parameter `index`.
    Statement& bind_null(int index);

    /// Advances to the next row: true when a row is ready, false when the statement is done.
    bool step();
    /// Steps a statement that returns no rows (INSERT, UPDATE, DELETE) to completion.
    void run();
    /// Makes the statement ready to run again; bindings are kept until re-bound.
    void reset();

    /// True when result column `column` of the current row is NULL.
    bool is_null(int column) const;
    /// Result column `column` of the current row as an integer.
    int64_t int64(int column) const;
    /// Result column `column` of the current row as text ("" for NULL).
    std::string text(int column) const;
    /// Result column `column` of the current row as bytes (empty for NULL).
    std::vector<uint8_t> blob(int column) const;

  private:
    [[noreturn]] void fail(int rc, const char* doing) const;
    void release();

    sqlite3_stmt* stmt_ = nullptr;
    Connection* keeper_ = nullptr;  ///< the connection it goes back to (Reuse::keep)
};

/// A write transaction: BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless
/// commit() succeeded, so an exception anywhere inside leaves nothing half-written.
class Transaction {
  public:
    /// Begins the transaction, taking the write lock now rather than at the first write, so two
    /// writers wait on busy_timeout instead of deadlocking on a read-to-write upgrade.
    explicit Transaction(Connection& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    /// Commits; afterwards the destructor does nothing. Throws (and later rolls back) on failure.
    void commit();

  private:
    Connection& db_;
    bool done_ = false;
};

}  // namespace rca::sqlite
