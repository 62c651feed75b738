// One namespace of names for native devices, the router and ACME accounts, enforced by the store
// in the transaction that takes a name (issue 15: a native enrolment racing an ACME validation
// must not end with both holding the name).
#include <catch2/catch.hpp>

#include <stdexcept>

#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"

using rca::SqliteStore;
using rca::test::ms;
using rca::test::sample_cert;
using rca::test::sample_device;
using rca::test::sample_event;

namespace {

void add_account(SqliteStore& store, const std::string& id,
                 rca::acme::Approval approval = rca::acme::Approval::admin) {
    rca::acme::Account a;
    a.id = id;
    a.jwk_json = "{}";
    a.thumbprint = "thumb-" + id;
    a.approval = approval;
    REQUIRE(store.add_account(a, sample_event("acme.account.created", id)));
}

}  // namespace

TEST_CASE("name claims: an ACME account cannot claim a native device's name") {
    SqliteStore store(":memory:");
    add_account(store, "a1");
    store.commit_enrolment(sample_device("printer"), sample_cert("01"), "",
                           sample_event("cert.issued", "printer"));
    CHECK_FALSE(store.claim_name("printer", "a1", ms(6000), sample_event("claim", "printer")));
    CHECK_FALSE(store.claim_name("PRINTER", "a1", ms(6000), sample_event("claim", "printer")));
    CHECK_FALSE(store.name_owner("printer"));
    CHECK(store.claim_name("nas", "a1", ms(6000), sample_event("claim", "nas")));
    CHECK(store.names_of("a1") == std::vector<std::string>{"nas"});
}

TEST_CASE("name claims: a native enrolment cannot take a name an ACME account owns") {
    SqliteStore store(":memory:");
    add_account(store, "a1");
    REQUIRE(store.claim_name("nas", "a1", ms(6000), sample_event("claim", "nas")));
    CHECK_THROWS_AS(store.commit_enrolment(sample_device("nas"), sample_cert("02"), "",
                                           sample_event("cert.issued", "nas")),
                    std::runtime_error);
    CHECK_FALSE(store.find_device_by_name("nas"));  // nothing half-written
    CHECK_FALSE(store.serial_exists("02"));
}

TEST_CASE("name claims: an account the button approved claims one name, whatever the order") {
    SqliteStore store(":memory:");
    add_account(store, "a1", rca::acme::Approval::pairing);
    add_account(store, "a2");
    REQUIRE(store.claim_name("nas", "a1", ms(6000), sample_event("claim", "nas")));
    CHECK(store.claim_name("nas", "a1", ms(6001), sample_event("claim", "nas")));  // its own
    CHECK_FALSE(store.claim_name("printer", "a1", ms(6002), sample_event("claim", "printer")));
    CHECK(store.names_of("a1") == std::vector<std::string>{"nas"});
    // The admin's approval has no such bound.
    CHECK(store.claim_name("printer", "a2", ms(6003), sample_event("claim", "printer")));
    CHECK(store.claim_name("tv", "a2", ms(6004), sample_event("claim", "tv")));
}
