// SqliteStore's acme::AcmeStore half: the tables of migration 004 (accounts, EAB keys, orders,
// authorizations) and the ACME issuance that creates or takes over a device; name ownership is in
// sqlite_acme_names.cpp.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <stdexcept>

#include "store/sqlite_store.hpp"
#include "store/table_access.hpp"

namespace rca {
namespace {

using namespace table_access;
using Lock = std::lock_guard<std::mutex>;

template <class E>
E parsed_or_corrupt(const std::optional<E>& parsed, const char* what, const std::string& text) {
    if (!parsed) corrupt(what, text);
    return *parsed;
}

// Lists of strings (contacts, identifiers) are kept as JSON arrays: one column, readable in the
// sqlite3 shell, and no list separator that a hostile contact URL could contain.
std::string json_array_text(const std::vector<std::string>& strings) {
    return nlohmann::json(strings).dump();
}

std::vector<std::string> strings_from_json(const std::string& text, const char* what) {
    const auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_array()) corrupt(what, text);
    std::vector<std::string> strings;
    for (const auto& item : parsed) {
        if (!item.is_string()) corrupt(what, text);
        strings.push_back(item.get<std::string>());
    }
    return strings;
}

// --- acme_accounts ---

const char* const kAccountColumns =
    "id, jwk_json, thumbprint, contact, status, approval, eab_kid, created_at, approved_at, "
    "source";

acme::Account account_from_row(const sqlite::Statement& row) {
    acme::Account a;
    a.id = row.text(0);
    a.jwk_json = row.text(1);
    a.thumbprint = row.text(2);
    a.contact = strings_from_json(row.text(3), "account contact list");
    const std::string status = row.text(4);
    a.status = parsed_or_corrupt(acme::account_status_from(status), "account status", status);
    const std::string approval = row.text(5);
    a.approval = parsed_or_corrupt(acme::approval_from(approval), "account approval", approval);
    a.eab_kid = row.text(6);  // NULL reads as ""
    a.created_at = from_millis(row.int64(7));
    a.approved_at = optional_time(row, 8);
    a.source = row.text(9);
    return a;
}

// Accounts that cannot order yet (acme::approved is false), in SQL.
constexpr const char* kUnapproved = "approval IN ('waiting', 'overlap')";
// The unapproved accounts that may make room for a new one: those without orders. An account
// whose pairing approval was taken back keeps its orders (and their certificates' history); such
// accounts are few, one per press at most, so they stay out of the cap.
constexpr const char* kEvictable =
    "approval IN ('waiting', 'overlap')"
    " AND NOT EXISTS (SELECT 1 FROM acme_orders o WHERE o.account_id = acme_accounts.id)";

std::optional<acme::Account> one_account(sqlite::Statement& query) {
    if (!query.step()) return std::nullopt;
    return account_from_row(query);
}

// --- acme_orders and acme_authorizations ---

const char* const kOrderColumns =
    "id, account_id, status, created_at, expires, identifiers, label, error_type, error_detail,"
    " cert_serial";

// The order in the current row of `row`, with its authorization ids read from db.
acme::Order order_from_row(sqlite::Connection& db, const sqlite::Statement& row) {
    acme::Order o;
    o.id = row.text(0);
    o.account_id = row.text(1);
    const std::string status = row.text(2);
    o.status = parsed_or_corrupt(acme::order_status_from(status), "order status", status);
    o.created_at = from_millis(row.int64(3));
    o.expires = from_millis(row.int64(4));
    o.identifiers = strings_from_json(row.text(5), "order identifier list");
    o.label = row.text(6);
    o.error = acme::StoredProblem{row.text(7), row.text(8)};
    o.cert_serial = row.text(9);  // NULL reads as ""
    sqlite::Statement ids(
        db, "SELECT id FROM acme_authorizations WHERE order_id = ? ORDER BY position");
    ids.bind(1, o.id);
    while (ids.step()) o.authorization_ids.push_back(ids.text(0));
    return o;
}

const char* const kAuthorizationColumns =
    "id, order_id, account_id, identifier, label, status, expires, token, attempted,"
    " validated_at, validated_ipv4, error_type, error_detail";

acme::Authorization authorization_from_row(const sqlite::Statement& row) {
    acme::Authorization a;
    a.id = row.text(0);
    a.order_id = row.text(1);
    a.account_id = row.text(2);
    a.identifier = row.text(3);
    a.label = row.text(4);
    const std::string status = row.text(5);
    a.status = parsed_or_corrupt(acme::authz_status_from(status), "authorization status", status);
    a.expires = from_millis(row.int64(6));
    a.token = row.text(7);
    a.attempted = row.text(8);
    a.validated_at = optional_time(row, 9);
    a.validated_address = optional_ipv4(row, 10);
    a.error = acme::StoredProblem{row.text(11), row.text(12)};
    return a;
}

// The ids find_order returns are the authorizations' positions, so a caller's
// order.authorization_ids that disagreed with them would be silently replaced on the next read.
void check_order_parts(const acme::Order& order, const std::vector<acme::Authorization>& authzs) {
    if (!order.authorization_ids.empty()) {
        bool same = order.authorization_ids.size() == authzs.size();
        for (size_t i = 0; same && i < authzs.size(); ++i)
            same = order.authorization_ids[i] == authzs[i].id;
        if (!same) {
            throw std::invalid_argument("order " + order.id +
                                        ": authorization_ids differ from the authorizations given");
        }
    }
    for (const acme::Authorization& authz : authzs) {
        if (authz.order_id != order.id || authz.account_id != order.account_id) {
            throw std::invalid_argument("authorization " + authz.id + " names order '" +
                                        authz.order_id + "' of account '" + authz.account_id +
                                        "', not order " + order.id + " of " + order.account_id);
        }
    }
}

}  // namespace

// --- accounts ---

bool SqliteStore::add_account(const acme::Account& account, const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    if (exists(db_, "SELECT 1 FROM acme_accounts WHERE thumbprint = ?", account.thumbprint))
        return false;
    const bool binds_eab = !account.eab_kid.empty();
    if (binds_eab &&
        !exists(db_, "SELECT 1 FROM acme_eab_keys WHERE kid = ? AND bound_account IS NULL",
                account.eab_kid)) {
        return false;  // missing or already bound: each key makes one account
    }
    {
        sqlite::Statement insert(db_, std::string("INSERT INTO acme_accounts (") + kAccountColumns +
                                          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, account.id)
            .bind(2, account.jwk_json)
            .bind(3, account.thumbprint)
            .bind(4, json_array_text(account.contact))
            .bind(5, std::string(acme::to_string(account.status)))
            .bind(6, std::string(acme::to_string(account.approval)));
        bind_text_or_null(insert, 7, account.eab_kid);
        insert.bind(8, to_millis(account.created_at));
        bind_optional_time(insert, 9, account.approved_at);
        insert.bind(10, account.source);
        insert.run();
    }
    if (binds_eab) {
        // After the account row, which bound_account references.
        sqlite::Statement bind(db_, "UPDATE acme_eab_keys SET bound_account = ? WHERE kid = ?");
        bind.bind(1, account.id).bind(2, account.eab_kid);
        bind.run();
    }
    insert_audit(db_, event);
    transaction.commit();
    return true;
}

std::optional<acme::Account> SqliteStore::find_account(const std::string& id) {
    const Lock lock(mutex_);
    sqlite::Statement query(
        db_, std::string("SELECT ") + kAccountColumns + " FROM acme_accounts WHERE id = ?");
    query.bind(1, id);
    return one_account(query);
}

std::optional<acme::Account> SqliteStore::find_account_by_thumbprint(
    const std::string& thumbprint) {
    const Lock lock(mutex_);
    sqlite::Statement query(
        db_, std::string("SELECT ") + kAccountColumns + " FROM acme_accounts WHERE thumbprint = ?");
    query.bind(1, thumbprint);
    return one_account(query);
}

std::vector<acme::Account> SqliteStore::accounts() {
    const Lock lock(mutex_);
    // rowid breaks ties between accounts created in the same millisecond: insertion order.
    sqlite::Statement query(db_, std::string("SELECT ") + kAccountColumns +
                                     " FROM acme_accounts ORDER BY created_at, rowid");
    std::vector<acme::Account> found;
    while (query.step()) found.push_back(account_from_row(query));
    return found;
}

std::vector<acme::Account> SqliteStore::unapproved_accounts() {
    const Lock lock(mutex_);
    sqlite::Statement query(db_, std::string("SELECT ") + kAccountColumns +
                                     " FROM acme_accounts WHERE " + kUnapproved +
                                     " ORDER BY created_at, rowid");
    std::vector<acme::Account> found;
    while (query.step()) found.push_back(account_from_row(query));
    return found;
}

std::vector<std::string> SqliteStore::make_room_for_account(const std::string& source,
                                                            const RequestLimits& limits,
                                                            const AuditEvent& evicted) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    const auto deleted =
        make_room(db_, {"acme_accounts", kEvictable, "created_at"}, source, limits,
                  [&](const std::string& id) {
                      sqlite::Statement remove(db_, "DELETE FROM acme_accounts WHERE id = ?");
                      remove.bind(1, id);
                      remove.run();
                      AuditEvent event = evicted;
                      event.subject = id;
                      insert_audit(db_, event);
                  });
    transaction.commit();
    return deleted;
}

bool SqliteStore::set_account_approval(const std::string& id, acme::Approval approval, TimePoint at,
                                       const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    {
        sqlite::Statement update(db_,
                                 "UPDATE acme_accounts SET approval = ?,"
                                 " approved_at = COALESCE(?, approved_at) WHERE id = ?");
        update.bind(1, std::string(acme::to_string(approval)));
        bind_optional_time(update, 2,
                           acme::approved(approval) ? std::optional<TimePoint>(at) : std::nullopt);
        update.bind(3, id);
        update.run();
    }
    if (db_.changes() != 1) return false;  // rolls back: nothing changed
    insert_audit(db_, event);
    transaction.commit();
    return true;
}

bool SqliteStore::set_account_status(const std::string& id, acme::AccountStatus status,
                                     const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    {
        sqlite::Statement update(db_, "UPDATE acme_accounts SET status = ? WHERE id = ?");
        update.bind(1, std::string(acme::to_string(status))).bind(2, id);
        update.run();
    }
    if (db_.changes() != 1) return false;
    insert_audit(db_, event);
    transaction.commit();
    return true;
}

bool SqliteStore::set_account_contact(const std::string& id,
                                      const std::vector<std::string>& contact) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    {
        sqlite::Statement update(db_, "UPDATE acme_accounts SET contact = ? WHERE id = ?");
        update.bind(1, json_array_text(contact)).bind(2, id);
        update.run();
    }
    if (db_.changes() != 1) return false;
    transaction.commit();
    return true;
}

bool SqliteStore::change_account_key(const std::string& id, const std::string& jwk_json,
                                     const std::string& thumbprint, const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    {
        // RFC 8555 section 7.3.5: a key already used by another account is a conflict. The same
        // account "changing" to its own key is harmless and goes through.
        sqlite::Statement taken(db_,
                                "SELECT 1 FROM acme_accounts WHERE thumbprint = ? AND id <> ?");
        taken.bind(1, thumbprint).bind(2, id);
        if (taken.step()) return false;
    }
    {
        sqlite::Statement update(db_,
                                 "UPDATE acme_accounts SET jwk_json = ?, thumbprint = ?"
                                 " WHERE id = ?");
        update.bind(1, jwk_json).bind(2, thumbprint).bind(3, id);
        update.run();
    }
    if (db_.changes() != 1) return false;
    insert_audit(db_, event);
    transaction.commit();
    return true;
}

// --- External Account Binding keys ---

void SqliteStore::add_eab_key(const acme::EabKey& key, const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    sqlite::Statement insert(db_,
                             "INSERT INTO acme_eab_keys (kid, mac_key, created_at, bound_account)"
                             " VALUES (?, ?, ?, ?)");
    insert.bind(1, key.kid).bind(2, key.mac_key).bind(3, to_millis(key.created_at));
    bind_text_or_null(insert, 4, key.bound_account);
    insert.run();
    insert_audit(db_, event);
    transaction.commit();
}

std::optional<acme::EabKey> SqliteStore::find_eab_key(const std::string& kid) {
    const Lock lock(mutex_);
    sqlite::Statement query(db_,
                            "SELECT kid, mac_key, created_at, bound_account FROM acme_eab_keys"
                            " WHERE kid = ?");
    query.bind(1, kid);
    if (!query.step()) return std::nullopt;
    return acme::EabKey{query.text(0), query.blob(1), from_millis(query.int64(2)), query.text(3)};
}

// --- orders and authorizations ---

void SqliteStore::add_order(const acme::Order& order,
                            const std::vector<acme::Authorization>& authzs) {
    check_order_parts(order, authzs);
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    {
        sqlite::Statement insert(db_, std::string("INSERT INTO acme_orders (") + kOrderColumns +
                                          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, order.id)
            .bind(2, order.account_id)
            .bind(3, std::string(acme::to_string(order.status)))
            .bind(4, to_millis(order.created_at))
            .bind(5, to_millis(order.expires))
            .bind(6, json_array_text(order.identifiers))
            .bind(7, order.label)
            .bind(8, order.error.type)
            .bind(9, order.error.detail);
        bind_text_or_null(insert, 10, order.cert_serial);
        insert.run();
    }
    sqlite::Statement insert(db_, std::string("INSERT INTO acme_authorizations (") +
                                      kAuthorizationColumns +
                                      ", position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                      " ?)");
    for (size_t position = 0; position < authzs.size(); ++position) {
        const acme::Authorization& a = authzs[position];
        insert.bind(1, a.id)
            .bind(2, a.order_id)
            .bind(3, a.account_id)
            .bind(4, a.identifier)
            .bind(5, a.label)
            .bind(6, std::string(acme::to_string(a.status)))
            .bind(7, to_millis(a.expires))
            .bind(8, a.token)
            .bind(9, a.attempted);
        bind_optional_time(insert, 10, a.validated_at);
        bind_optional_ipv4(insert, 11, a.validated_address);
        insert.bind(12, a.error.type).bind(13, a.error.detail);
        insert.bind(14, static_cast<int64_t>(position));
        insert.run();
        insert.reset();
    }
    transaction.commit();
}

std::optional<acme::Order> SqliteStore::find_order(const std::string& id) {
    const Lock lock(mutex_);
    sqlite::Statement query(
        db_, std::string("SELECT ") + kOrderColumns + " FROM acme_orders WHERE id = ?");
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return order_from_row(db_, query);
}

std::vector<acme::Order> SqliteStore::orders_of(const std::string& account_id, size_t limit) {
    const Lock lock(mutex_);
    // rowid DESC puts the later of two orders created in the same millisecond first.
    sqlite::Statement query(db_, std::string("SELECT ") + kOrderColumns +
                                     " FROM acme_orders WHERE account_id = ?"
                                     " ORDER BY created_at DESC, rowid DESC LIMIT ?");
    query.bind(1, account_id).bind(2, sql_limit(limit));
    std::vector<acme::Order> found;
    while (query.step()) found.push_back(order_from_row(db_, query));
    return found;
}

void SqliteStore::update_order(const acme::Order& order) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    {
        sqlite::Statement update(db_,
                                 "UPDATE acme_orders SET status = ?, error_type = ?,"
                                 " error_detail = ?, cert_serial = ? WHERE id = ?");
        update.bind(1, std::string(acme::to_string(order.status)))
            .bind(2, order.error.type)
            .bind(3, order.error.detail);
        bind_text_or_null(update, 4, order.cert_serial);
        update.bind(5, order.id);
        update.run();
    }
    if (db_.changes() != 1)
        throw std::runtime_error("cannot update order " + order.id + ": no such order");
    transaction.commit();
}

std::optional<acme::Authorization> SqliteStore::find_authorization(const std::string& id) {
    const Lock lock(mutex_);
    sqlite::Statement query(db_, std::string("SELECT ") + kAuthorizationColumns +
                                     " FROM acme_authorizations WHERE id = ?");
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return authorization_from_row(query);
}

void SqliteStore::update_authorization(const acme::Authorization& authz) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    {
        sqlite::Statement update(db_,
                                 "UPDATE acme_authorizations SET status = ?, attempted = ?,"
                                 " validated_at = ?, validated_ipv4 = ?, error_type = ?,"
                                 " error_detail = ? WHERE id = ?");
        update.bind(1, std::string(acme::to_string(authz.status))).bind(2, authz.attempted);
        bind_optional_time(update, 3, authz.validated_at);
        bind_optional_ipv4(update, 4, authz.validated_address);
        update.bind(5, authz.error.type).bind(6, authz.error.detail).bind(7, authz.id);
        update.run();
    }
    if (db_.changes() != 1) {
        throw std::runtime_error("cannot update authorization " + authz.id +
                                 ": no such authorization");
    }
    transaction.commit();
}

size_t SqliteStore::purge_orders(TimePoint before) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    {
        // The authorizations go with their order (ON DELETE CASCADE); changes() counts orders only.
        sqlite::Statement purge(db_,
                                "DELETE FROM acme_orders WHERE expires < ? AND status <> 'valid'");
        purge.bind(1, to_millis(before));
        purge.run();
    }
    const auto purged = static_cast<size_t>(db_.changes());
    transaction.commit();
    return purged;
}

// --- issuance (revoke_certificate is in sqlite_revocations.cpp) ---

int64_t SqliteStore::commit_acme_issue(const acme::AcmeIssue& issue, const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    // Every check comes before the first write, but a throw after a write would still leave
    // nothing: the transaction rolls back.
    if (exists(db_, "SELECT 1 FROM certificates WHERE serial = ?", issue.cert.serial_hex)) {
        throw std::runtime_error("certificate serial " + issue.cert.serial_hex +
                                 " exists; nothing was stored");
    }
    {
        sqlite::Statement order(db_,
                                "SELECT account_id, cert_serial FROM acme_orders WHERE id = ?");
        order.bind(1, issue.order_id);
        if (!order.step() || order.text(0) != issue.account_id || !order.is_null(1)) {
            throw std::runtime_error(
                "order " + issue.order_id + " of account " + issue.account_id +
                " is missing or already has a certificate; nothing was stored");
        }
    }
    std::optional<int64_t> existing;
    {
        sqlite::Statement device(db_, "SELECT id, source FROM devices WHERE name = ?");
        device.bind(1, issue.label);
        if (device.step()) {
            if (device.text(1) != to_string(DeviceSource::acme)) {
                throw std::runtime_error("the name " + issue.label + " is held by a " +
                                         device.text(1) + " device; nothing was stored");
            }
            existing = device.int64(0);
        }
    }
    {
        // Backstop for the server's checks: a certificate only for a name the account holds now.
        // One account's name never gets another's certificate, and a name freed since the
        // validation (released by the admin, or the account's pairing approval taken back in
        // the same transaction as its names) gets none.
        sqlite::Statement owner(db_, "SELECT account_id FROM acme_names WHERE label = ?");
        owner.bind(1, issue.label);
        if (!owner.step() || owner.text(0) != issue.account_id) {
            throw std::runtime_error("the name " + issue.label + " is not held by account " +
                                     issue.account_id + "; nothing was stored");
        }
    }
    IssuedCert cert = issue.cert;
    int64_t device_id = 0;
    if (existing) {
        // Taken over (a released name) or renewed: the device is alive again with this key at
        // this address. No address means none known now; the previous holder's must not linger.
        sqlite::Statement update(db_,
                                 "UPDATE devices SET ipv4 = ?, key_type = ?, revoked_at = NULL,"
                                 " deleted_at = NULL WHERE id = ?");
        bind_optional_ipv4(update, 1, issue.ipv4);
        update.bind(2, issue.key_type).bind(3, *existing);
        update.run();
        device_id = *existing;
        cert.kind = IssueKind::renewal;
    } else {
        sqlite::Statement insert(db_,
                                 "INSERT INTO devices (name, ipv4, key_type, source, created_at)"
                                 " VALUES (?, ?, ?, ?, ?)");
        insert.bind(1, issue.label);
        bind_optional_ipv4(insert, 2, issue.ipv4);
        insert.bind(3, issue.key_type)
            .bind(4, std::string(to_string(DeviceSource::acme)))
            .bind(5, to_millis(cert.issued_at));
        insert.run();
        device_id = db_.last_insert_rowid();
        cert.kind = IssueKind::enrolment;
    }
    insert_certificate(db_, cert, device_id);
    {
        sqlite::Statement valid(db_,
                                "UPDATE acme_orders SET status = 'valid', cert_serial = ?"
                                " WHERE id = ?");
        valid.bind(1, cert.serial_hex).bind(2, issue.order_id);
        valid.run();
    }
    insert_audit(db_, event);
    transaction.commit();
    return device_id;
}

std::optional<std::string> SqliteStore::certificate_account(const std::string& serial_hex) {
    const Lock lock(mutex_);
    sqlite::Statement query(db_, "SELECT account_id FROM acme_orders WHERE cert_serial = ?");
    query.bind(1, serial_hex);
    if (!query.step()) return std::nullopt;
    return query.text(0);
}

}  // namespace rca
