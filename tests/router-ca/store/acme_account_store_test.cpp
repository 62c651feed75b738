// SqliteStore as the ACME server's AcmeStore: accounts, EAB keys, approvals and key change.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "acme_store_test_support.hpp"
#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"

// Inside rca::acme, so that the store's and the ACME types need no using-declarations.
namespace rca::acme {
namespace {

using namespace rca::acme::testing;

// --- accounts -----------------------------------------------------------------------------------

TEST_CASE("acme store: accounts round-trip with and without optional fields", "[store][acme]") {
    SqliteStore store(":memory:");
    auto account = sample_account("a1");
    const bool full = GENERATE(false, true);
    CAPTURE(full);
    if (full) {
        store.add_eab_key(sample_eab_key("kid-1"), sample_event("acme.eab.created", "kid-1"));
        // Contacts that a naive separator or quoting scheme would split or break.
        account.contact = {"mailto:a@example.com", "mailto:\"odd, name\"@example.com",
                           "mailto:ünï@example.com"};
        account.status = AccountStatus::deactivated;
        account.approval = Approval::eab;
        account.eab_kid = "kid-1";
        account.approved_at = ms(1500);
    }
    REQUIRE(store.add_account(account, sample_event("acme.account.created", "a1", 1000)));

    for (const auto& found :
         {store.find_account("a1"), store.find_account_by_thumbprint("thumb-a1")}) {
        REQUIRE(found);
        CHECK(found->id == account.id);
        CHECK(found->jwk_json == account.jwk_json);
        CHECK(found->thumbprint == account.thumbprint);
        CHECK(found->contact == account.contact);
        CHECK(found->status == account.status);
        CHECK(found->approval == account.approval);
        CHECK(found->eab_kid == account.eab_kid);
        CHECK(found->created_at == account.created_at);
        CHECK(found->approved_at == account.approved_at);
    }
    CHECK_FALSE(store.find_account("a2"));
    CHECK_FALSE(store.find_account_by_thumbprint("THUMB-A1"));  // base64url is case-sensitive
    CHECK(store.audit_log(1).at(0).event == "acme.account.created");
    if (full) CHECK(store.find_eab_key("kid-1")->bound_account == "a1");
}

TEST_CASE("acme store: accounts() lists oldest first", "[store][acme]") {
    SqliteStore store(":memory:");
    for (const auto& [id, at] : std::vector<std::pair<std::string, int64_t>>{
             {"late", 3000}, {"early", 1000}, {"tie-first", 2000}, {"tie-second", 2000}}) {
        REQUIRE(
            store.add_account(sample_account(id, at), sample_event("acme.account.created", id)));
    }
    CHECK(ids_of(store.accounts()) ==
          std::vector<std::string>{"early", "tie-first", "tie-second", "late"});
}

TEST_CASE("acme store: a second account with the same key is refused", "[store][acme]") {
    SqliteStore store(":memory:");
    REQUIRE(store.add_account(sample_account("a1"), sample_event("acme.account.created", "a1")));
    auto twin = sample_account("a2");
    twin.thumbprint = "thumb-a1";
    CHECK_FALSE(store.add_account(twin, sample_event("acme.account.created", "a2")));
    CHECK_FALSE(store.find_account("a2"));
    CHECK(store.find_account_by_thumbprint("thumb-a1")->id == "a1");
    CHECK(store.audit_log(10).size() == 1);
    // An account id used twice is a bug, not a refusal.
    auto same_id = sample_account("a1");
    same_id.thumbprint = "thumb-other";
    CHECK_THROWS_WITH(store.add_account(same_id, sample_event("acme.account.created", "a1")),
                      Contains("UNIQUE"));
    CHECK(store.audit_log(10).size() == 1);
}

TEST_CASE("acme store: an EAB key binds exactly one account", "[store][acme]") {
    SqliteStore store(":memory:");
    store.add_eab_key(sample_eab_key("kid-1"), sample_event("acme.eab.created", "kid-1", 500));
    const auto key = store.find_eab_key("kid-1");
    REQUIRE(key);
    CHECK(key->mac_key == rca::Bytes(32, 0x5a));
    CHECK(key->created_at == ms(500));
    CHECK(key->bound_account.empty());
    CHECK_FALSE(store.find_eab_key("kid-2"));
    CHECK(store.audit_log(1).at(0).event == "acme.eab.created");

    auto first = sample_account("a1");
    first.eab_kid = "kid-1";
    first.approval = Approval::eab;
    REQUIRE(store.add_account(first, sample_event("acme.account.created", "a1")));
    CHECK(store.find_eab_key("kid-1")->bound_account == "a1");
    const size_t audit_before = store.audit_log(100).size();

    // A second account with the same key, or with a key nobody made: refused, nothing written.
    const std::string kid = GENERATE(std::string("kid-1"), std::string("kid-unknown"));
    CAPTURE(kid);
    auto second = sample_account("a2");
    second.eab_kid = kid;
    CHECK_FALSE(store.add_account(second, sample_event("acme.account.created", "a2")));
    CHECK_FALSE(store.find_account("a2"));
    CHECK_FALSE(store.find_account_by_thumbprint("thumb-a2"));
    CHECK(store.find_eab_key("kid-1")->bound_account == "a1");
    CHECK_FALSE(store.find_eab_key("kid-unknown"));
    CHECK(store.audit_log(100).size() == audit_before);
    CHECK(store.accounts().size() == 1);
}

TEST_CASE("acme store: approvals set approved_at only when they approve", "[store][acme]") {
    SqliteStore store(":memory:");
    REQUIRE(store.add_account(sample_account("a1"), sample_event("acme.account.created", "a1")));
    CHECK_FALSE(store.find_account("a1")->approved_at);

    const Approval approval = GENERATE(Approval::waiting, Approval::overlap, Approval::pairing,
                                       Approval::admin, Approval::eab);
    CAPTURE(rca::acme::to_string(approval));
    REQUIRE(store.set_account_approval("a1", approval, ms(4000),
                                       sample_event("acme.account.approval", "a1", 4000)));
    auto found = store.find_account("a1");
    CHECK(found->approval == approval);
    CHECK(found->approved_at ==
          (rca::acme::approved(approval) ? std::optional(ms(4000)) : std::nullopt));
    CHECK(store.audit_log(1).at(0).event == "acme.account.approval");

    // A later approval moves approved_at; a later non-approving one leaves it.
    REQUIRE(store.set_account_approval("a1", Approval::admin, ms(5000),
                                       sample_event("acme.account.approval", "a1", 5000)));
    REQUIRE(store.set_account_approval("a1", Approval::overlap, ms(6000),
                                       sample_event("acme.account.approval", "a1", 6000)));
    found = store.find_account("a1");
    CHECK(found->approval == Approval::overlap);
    CHECK(found->approved_at == ms(5000));

    const size_t audit_before = store.audit_log(100).size();
    CHECK_FALSE(store.set_account_approval("missing", Approval::admin, ms(7000),
                                           sample_event("acme.account.approval", "missing")));
    CHECK(store.audit_log(100).size() == audit_before);
}

TEST_CASE("acme store: status and contact updates", "[store][acme]") {
    SqliteStore store(":memory:");
    REQUIRE(store.add_account(sample_account("a1"), sample_event("acme.account.created", "a1")));

    REQUIRE(store.set_account_status("a1", AccountStatus::deactivated,
                                     sample_event("acme.account.deactivated", "a1")));
    CHECK(store.find_account("a1")->status == AccountStatus::deactivated);
    CHECK(store.audit_log(1).at(0).event == "acme.account.deactivated");

    const std::vector<std::string> contact{"mailto:new@example.com", "mailto:two@example.com"};
    REQUIRE(store.set_account_contact("a1", contact));
    CHECK(store.find_account("a1")->contact == contact);
    REQUIRE(store.set_account_contact("a1", {}));
    CHECK(store.find_account("a1")->contact.empty());

    const size_t audit_before = store.audit_log(100).size();
    CHECK_FALSE(store.set_account_status("missing", AccountStatus::revoked,
                                         sample_event("acme.account.revoked", "missing")));
    CHECK_FALSE(store.set_account_contact("missing", contact));
    CHECK(store.audit_log(100).size() == audit_before);
}

TEST_CASE("acme store: key change refuses a key another account has", "[store][acme]") {
    SqliteStore store(":memory:");
    REQUIRE(store.add_account(sample_account("a1"), sample_event("acme.account.created", "a1")));
    REQUIRE(store.add_account(sample_account("a2"), sample_event("acme.account.created", "a2")));
    const size_t audit_before = store.audit_log(100).size();

    CHECK_FALSE(store.change_account_key("a1", "{\"stolen\":1}", "thumb-a2",
                                         sample_event("acme.account.key-changed", "a1")));
    CHECK(store.find_account("a1")->thumbprint == "thumb-a1");
    CHECK(store.find_account("a1")->jwk_json == sample_account("a1").jwk_json);
    CHECK(store.find_account_by_thumbprint("thumb-a2")->id == "a2");
    CHECK_FALSE(store.change_account_key("missing", "{}", "thumb-new",
                                         sample_event("acme.account.key-changed", "missing")));
    CHECK(store.audit_log(100).size() == audit_before);

    REQUIRE(store.change_account_key("a1", "{\"new\":1}", "thumb-new",
                                     sample_event("acme.account.key-changed", "a1")));
    CHECK(store.find_account("a1")->jwk_json == "{\"new\":1}");
    CHECK(store.find_account_by_thumbprint("thumb-new")->id == "a1");
    CHECK_FALSE(store.find_account_by_thumbprint("thumb-a1"));
    CHECK(store.audit_log(1).at(0).event == "acme.account.key-changed");
    // The old key is free again; the account's own current key is not "another account's".
    CHECK(store.change_account_key("a2", "{}", "thumb-a1",
                                   sample_event("acme.account.key-changed", "a2")));
    CHECK(store.change_account_key("a1", "{\"new\":1}", "thumb-new",
                                   sample_event("acme.account.key-changed", "a1")));
}

}  // namespace
}  // namespace rca::acme
