// SqliteStore's ACME name ownership ("the first account to validate a name owns it"): claims,
// releases, and an account's pairing approval taken back, each checked and written in one
// transaction against the devices table, so that native and ACME issuance share one namespace.
#include "store/sqlite_store.hpp"
#include "store/table_access.hpp"

namespace rca {
namespace {

using namespace table_access;
using Lock = std::lock_guard<std::mutex>;

// Forgets label's owner and revokes every certificate of the ACME device of that name (a native
// device of the same name, which commit_acme_issue never lets an account take, is not the
// account's to lose), for `reason`. nullopt when no account owns the label. Call inside a
// transaction.
std::optional<std::vector<std::string>> release_label_rows(sqlite::Connection& db,
                                                           const std::string& label, TimePoint at,
                                                           RevocationReason reason) {
    {
        sqlite::Statement forget(db, "DELETE FROM acme_names WHERE label = ?");
        forget.bind(1, label);
        forget.run();
    }
    if (db.changes() != 1) return std::nullopt;
    sqlite::Statement device(db, "SELECT id FROM devices WHERE name = ? AND source = 'acme'");
    device.bind(1, label);
    if (!device.step()) return std::vector<std::string>{};
    return revoke_device_rows(db, device.int64(0), at, reason);
}

}  // namespace

// --- names ---

std::optional<std::string> SqliteStore::name_owner(const std::string& label) {
    const Lock lock(mutex_);
    sqlite::Statement query(db_, "SELECT account_id FROM acme_names WHERE label = ?");
    query.bind(1, label);
    if (!query.step()) return std::nullopt;
    return query.text(0);
}

bool SqliteStore::claim_name(const std::string& label, const std::string& account_id, TimePoint at,
                             const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    {
        // NOCASE on the column: "NAS" is owned when "nas" is (RFC 4343).
        sqlite::Statement owner(db_, "SELECT account_id FROM acme_names WHERE label = ?");
        owner.bind(1, label);
        if (owner.step()) return owner.text(0) == account_id;  // nothing to write either way
    }
    // Names are one namespace (store.hpp name_taken): a natively paired device or the router
    // holding it wins, whichever committed first.
    if (exists(db_, "SELECT 1 FROM devices WHERE name = ? AND source <> 'acme'", label))
        return false;
    // One press, one device (issue 15): an account the button approved holds one name. Checked
    // in the claim's transaction, so validations racing each other cannot each claim one.
    if (exists(db_,
               "SELECT 1 FROM acme_accounts a JOIN acme_names n ON n.account_id = a.id"
               " WHERE a.id = ? AND a.approval = 'pairing'",
               account_id))
        return false;
    sqlite::Statement insert(db_,
                             "INSERT INTO acme_names (label, account_id, claimed_at)"
                             " VALUES (?, ?, ?)");
    insert.bind(1, label).bind(2, account_id).bind(3, to_millis(at));
    insert.run();
    insert_audit(db_, event);
    transaction.commit();
    return true;
}

std::vector<std::string> SqliteStore::names_of(const std::string& account_id) {
    const Lock lock(mutex_);
    sqlite::Statement query(db_,
                            "SELECT label FROM acme_names WHERE account_id = ?"
                            " ORDER BY claimed_at, rowid");
    query.bind(1, account_id);
    std::vector<std::string> labels;
    while (query.step()) labels.push_back(query.text(0));
    return labels;
}

std::optional<std::vector<std::string>> SqliteStore::release_name(const std::string& label,
                                                                  TimePoint at,
                                                                  const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    // RFC 5280 5.3.1: the admin takes the name, a privilege the certificates held, back.
    auto serials = release_label_rows(db_, label, at, RevocationReason::privilege_withdrawn);
    if (!serials) return std::nullopt;  // no owner: nothing to release
    insert_audit(db_, event);
    transaction.commit();
    return serials;
}

std::vector<std::string> SqliteStore::withdraw_account_approval(const std::string& account_id,
                                                                TimePoint at,
                                                                const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    {
        sqlite::Statement update(db_,
                                 "UPDATE acme_accounts SET approval = 'overlap',"
                                 " approved_at = NULL WHERE id = ?");
        update.bind(1, account_id);
        update.run();
    }
    if (db_.changes() != 1) return {};
    std::vector<std::string> labels;
    {
        sqlite::Statement owned(db_, "SELECT label FROM acme_names WHERE account_id = ?");
        owned.bind(1, account_id);
        while (owned.step()) labels.push_back(owned.text(0));
    }
    std::vector<std::string> serials;
    for (const auto& label : labels) {
        // RFC 5280 5.3.1: the approval that let the account hold these names is taken back.
        const auto revoked =
            release_label_rows(db_, label, at, RevocationReason::privilege_withdrawn);
        if (revoked) serials.insert(serials.end(), revoked->begin(), revoked->end());
    }
    insert_audit(db_, event);
    transaction.commit();
    return serials;
}

}  // namespace rca
