#include "hq/store/pg_connection.hpp"

#include <stdexcept>

namespace hq::pg {
namespace {

std::string trimmed(const char* message) {
    std::string text = message ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

// Throws unless the statement succeeded; the message is the server's (or libpq's, when the
// connection is gone), which names the problem but never the password.
Result checked(PGconn* conn, PGresult* raw) {
    Result result(raw);
    const ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        throw std::runtime_error("PostgreSQL: " +
                                 trimmed(raw ? PQresultErrorMessage(raw) : PQerrorMessage(conn)));
    return result;
}

}  // namespace

void Result::check(int row, int column) const {
    if (row < 0 || row >= PQntuples(result_.get()) || column < 0 ||
        column >= PQnfields(result_.get()))
        throw std::runtime_error("PostgreSQL result: no row " + std::to_string(row) +
                                 " column " + std::to_string(column));
}

int Result::rows() const { return PQntuples(result_.get()); }

int64_t Result::changed() const {
    const std::string count = PQcmdTuples(result_.get());
    return count.empty() ? 0 : std::stoll(count);
}

bool Result::is_null(int row, int column) const {
    check(row, column);
    return PQgetisnull(result_.get(), row, column) != 0;
}

std::string Result::text(int row, int column) const {
    check(row, column);
    return std::string(PQgetvalue(result_.get(), row, column),
                       static_cast<size_t>(PQgetlength(result_.get(), row, column)));
}

int64_t Result::int64(int row, int column) const {
    const std::string value = text(row, column);
    size_t used = 0;
    const long long number = value.empty() ? 0 : std::stoll(value, &used);
    if (value.empty() || used != value.size())
        throw std::runtime_error("PostgreSQL result: not an integer: " + value);
    return number;
}

rca::Bytes Result::bytes(int row, int column) const {
    check(row, column);
    size_t length = 0;
    unsigned char* raw = PQunescapeBytea(
        reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row, column)), &length);
    if (!raw) throw std::runtime_error("PostgreSQL result: a bytea value that does not decode");
    rca::Bytes out(raw, raw + length);
    PQfreemem(raw);
    return out;
}

Params& Params::add(const std::string& text) {
    values_.push_back(text);
    binary_.push_back(0);
    return *this;
}

Params& Params::add(int64_t number) { return add(std::to_string(number)); }

Params& Params::add(const rca::Bytes& bytes) {
    values_.emplace_back(bytes.begin(), bytes.end());
    binary_.push_back(1);  // binary format: bytea's wire form is its bytes, no escaping at all
    return *this;
}

namespace {

// libpq waits for a TCP connection as long as the kernel does (minutes, to a host that drops
// packets), and a thread stuck there also holds up a clean shutdown. 10 s unless the URI sets
// its own connect_timeout: with expand_dbname, later parameters win, and the URI comes last.
PGconn* connect_with_timeout(const std::string& conninfo) {
    const char* const keywords[] = {"connect_timeout", "dbname", nullptr};
    const char* const values[] = {"10", conninfo.c_str(), nullptr};
    return PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
}

}  // namespace

Connection::Connection(const std::string& conninfo)
    : conn_(connect_with_timeout(conninfo), &PQfinish) {
    if (!conn_) throw std::runtime_error("PostgreSQL: out of memory");
    if (PQstatus(conn_.get()) != CONNECTION_OK)
        throw std::runtime_error("cannot connect to PostgreSQL: " +
                                 trimmed(PQerrorMessage(conn_.get())));
    // Server NOTICEs ("relation already exists, skipping") are not errors; libpq would print
    // them on stderr, in the middle of hq's log.
    PQsetNoticeProcessor(conn_.get(), [](void*, const char*) {}, nullptr);
}

Result Connection::exec(const std::string& sql, const Params& params) {
    const int n = static_cast<int>(params.values_.size());
    std::vector<const char*> values(static_cast<size_t>(n));
    std::vector<int> lengths(static_cast<size_t>(n));
    for (size_t i = 0; i < values.size(); ++i) {
        values[i] = params.values_[i].data();
        lengths[i] = static_cast<int>(params.values_[i].size());
    }
    // Results in text format (the last 0): bytea then arrives hex-encoded, see Result::bytes.
    return checked(conn_.get(), PQexecParams(conn_.get(), sql.c_str(), n, nullptr, values.data(),
                                             lengths.data(), params.binary_.data(), 0));
}

void Connection::exec_script(const std::string& sql) {
    checked(conn_.get(), PQexec(conn_.get(), sql.c_str()));
}

bool Connection::healthy() const { return PQstatus(conn_.get()) == CONNECTION_OK; }

std::string Connection::describe() const {
    const std::string host = PQhost(conn_.get()) ? PQhost(conn_.get()) : "";
    return std::string("database ") + PQdb(conn_.get()) + " on " +
           (host.empty() || host[0] == '/' ? "socket " + host : host) + ":" +
           PQport(conn_.get()) + " as " + PQuser(conn_.get());
}

Transaction::Transaction(Connection& db) : db_(db) { db_.exec("BEGIN"); }

Transaction::~Transaction() {
    if (done_) return;
    try {
        db_.exec("ROLLBACK");
    } catch (...) {
        // The connection is broken: the server rolls back when it closes; the pool drops it.
    }
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace hq::pg
