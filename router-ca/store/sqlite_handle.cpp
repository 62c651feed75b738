#include "store/sqlite_handle.hpp"

#include <sqlite3.h>

#include <stdexcept>
#include <utility>

namespace rca::sqlite {

Connection::Connection(const std::string& path) : path_(path) {
    const int rc =
        sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
        // sqlite3_open_v2 allocates a handle even on failure, to carry the message.
        const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        throw std::runtime_error("cannot open database " + path + ": " + message);
    }
    // Extended codes tell "UNIQUE constraint" from "FOREIGN KEY constraint" in messages.
    sqlite3_extended_result_codes(db_, 1);
}

Connection::~Connection() { close(); }

void Connection::close() {
    // Statements in use are always destroyed before their connection, and the kept ones are
    // finalized here, so close cannot be busy.
    for (auto& [sql, stmt] : kept_) sqlite3_finalize(stmt);
    kept_.clear();
    if (db_) sqlite3_close(db_);
    db_ = nullptr;
}

Connection::Connection(Connection&& other) noexcept
    : path_(std::move(other.path_)),
      db_(std::exchange(other.db_, nullptr)),
      kept_(std::move(other.kept_)) {
    other.kept_.clear();
}

Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        close();
        path_ = std::move(other.path_);
        db_ = std::exchange(other.db_, nullptr);
        kept_ = std::move(other.kept_);
        other.kept_.clear();
    }
    return *this;
}

void Connection::exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string message = error ? error : sqlite3_errmsg(db_);
        sqlite3_free(error);
        throw std::runtime_error("sqlite error on " + path_ + ": " + message);
    }
}

int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int Connection::changes() const { return sqlite3_changes(db_); }

Statement::Statement(Connection& db, const std::string& sql, Reuse reuse) {
    if (reuse == Reuse::keep) {
        keeper_ = &db;
        // Taken out while in use: the same SQL run inside this one's loop prepares its own.
        const auto idle = db.kept_.find(sql);
        if (idle != db.kept_.end()) {
            stmt_ = idle->second;
            db.kept_.erase(idle);
            return;
        }
    }
    const int rc =
        sqlite3_prepare_v2(db.get(), sql.c_str(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) {
        throw std::runtime_error("sqlite error on " + db.path() + ": " + sqlite3_errmsg(db.get()) +
                                 " [preparing: " + sql + "]");
    }
}

Statement::~Statement() { release(); }

void Statement::release() {
    if (stmt_ && keeper_) {
        // Reset at once, not at the next use: a statement left mid-way holds a read transaction,
        // which would keep the WAL from being checkpointed.
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
        if (keeper_->kept_.emplace(sqlite3_sql(stmt_), stmt_).second) stmt_ = nullptr;
    }
    sqlite3_finalize(stmt_);  // also when the connection already keeps one for this SQL
    stmt_ = nullptr;
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), keeper_(std::exchange(other.keeper_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        release();
        stmt_ = std::exchange(other.stmt_, nullptr);
        keeper_ = std::exchange(other.keeper_, nullptr);
    }
    return *this;
}

Statement& Statement::bind(int index, int64_t value) {
    const int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK) fail(rc, "binding");
    return *this;
}

Statement& Statement::bind(int index, const std::string& value) {
    const int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                       SQLITE_UTF8);
    if (rc != SQLITE_OK) fail(rc, "binding");
    return *this;
}

Statement& Statement::bind(int index, const std::vector<uint8_t>& value) {
    // sqlite3_bind_blob with a null pointer binds NULL, which a NOT NULL column would refuse.
    const int rc = value.empty() ? sqlite3_bind_zeroblob(stmt_, index, 0)
                                 : sqlite3_bind_blob64(stmt_, index, value.data(), value.size(),
                                                       SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) fail(rc, "binding");
    return *this;
}

Statement& Statement::bind_null(int index) {
    const int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK) fail(rc, "binding");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(rc, "running");
}

void Statement::run() {
    if (step()) {
        throw std::runtime_error(std::string("sqlite statement returned rows where none were "
                                             "expected [") +
                                 sqlite3_sql(stmt_) + "]");
    }
}

void Statement::reset() {
    // sqlite3_reset repeats the last step's error, which run() has already thrown; ignore it.
    sqlite3_reset(stmt_);
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    if (!text) return {};
    return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::vector<uint8_t> Statement::blob(int column) const {
    // A zero-length blob comes back as a null pointer; the bytes call must follow the blob call.
    const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, column));
    const auto size = static_cast<size_t>(sqlite3_column_bytes(stmt_, column));
    if (!data) return {};
    return std::vector<uint8_t>(data, data + size);
}

void Statement::fail(int rc, const char* doing) const {
    sqlite3* const db = sqlite3_db_handle(stmt_);
    const char* const file = sqlite3_db_filename(db, "main");
    // The connection's message is more specific ("UNIQUE constraint failed: devices.name") than
    // the code's generic one, but only when it belongs to this failure.
    const std::string message =
        sqlite3_extended_errcode(db) == rc ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw std::runtime_error("sqlite error on " + std::string(file && *file ? file : ":memory:") +
                             ": " + message + " [" + doing + ": " + sqlite3_sql(stmt_) + "]");
}

Transaction::Transaction(Connection& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    if (done_) return;
    // Some errors (SQLITE_FULL, SQLITE_IOERR...) already rolled back; then ROLLBACK fails with
    // "no transaction is active", which is the state we want, so its result is ignored.
    sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace rca::sqlite
