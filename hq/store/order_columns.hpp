#pragma once
// The orders table's columns as both HQ stores read them (SQLite and PostgreSQL share the column
// names and the text forms of status and step), so that an order is decoded in one place.
#include "hq/core/hq_types.hpp"
#include "store/table_access.hpp"

namespace hq::order_columns {

/// The columns order_from reads, in its order; revoke_reason is -1 where the column is NULL.
inline constexpr const char* kList =
    "id, home, name, csr_der, status, step, order_url, finalize_url, authz_url, challenge_url, "
    "certificate_url, chain_pem, problem_json, created_at, next_attempt_at, attempts, "
    "COALESCE(revoke_reason, -1)";

/// The statement, but for the order id's placeholder at its end, that turns an order freshly
/// saved as issued into a revoking one when its name was withdrawn (revoke_reason set) while the
/// worker held it (HqStore::update_order); it is due as the save left it, at once. An issued
/// order with a problem is one whose revocation the CA refused: it stays issued until the name
/// is withdrawn again.
inline constexpr const char* kRevokeIfWithdrawn =
    "UPDATE orders SET status = 'revoking', step = 'revoke' WHERE status = 'issued' "
    "AND revoke_reason IS NOT NULL AND problem_json = '' AND id = ";

/// An order from one row of kList; Row offers text(i), blob(i) and int64(i) for column i. A
/// status or step this binary does not know means a corrupt database (table_access::corrupt).
template <class Row>
CertificateOrder order_from(const Row& row) {
    using rca::table_access::corrupt;
    using rca::table_access::from_millis;
    CertificateOrder o;
    o.id = row.text(0);
    o.home = row.text(1);
    o.name = row.text(2);
    o.csr_der = row.blob(3);
    const std::string status = row.text(4);
    const auto parsed_status = order_status_from(status);
    if (!parsed_status) corrupt("order status", status);
    o.status = *parsed_status;
    const std::string step = row.text(5);
    const auto parsed_step = order_step_from(step);
    if (!parsed_step) corrupt("order step", step);
    o.step = *parsed_step;
    o.order_url = row.text(6);
    o.finalize_url = row.text(7);
    o.authz_url = row.text(8);
    o.challenge_url = row.text(9);
    o.certificate_url = row.text(10);
    o.chain_pem = row.text(11);
    o.problem_json = row.text(12);
    o.created_at = from_millis(row.int64(13));
    o.next_attempt_at = from_millis(row.int64(14));
    o.attempts = static_cast<int>(row.int64(15));
    if (const int64_t code = row.int64(16); code >= 0) {
        o.revoke_reason = rca::revocation_reason_from_code(code);
        if (!o.revoke_reason) corrupt("order revoke_reason", std::to_string(code));
    }
    return o;
}

}  // namespace hq::order_columns
