// ZonePublisher: a write republishes its own home only (issue 17: a write must not cost the size
// of the zone). The store underneath is the real SQLite one; the wrapper counts full-zone reads.
#include <catch2/catch.hpp>

#include "core/zone_holder.hpp"
#include "hq/daemon/zone_publisher.hpp"
#include "hq/store/sqlite_hq_store.hpp"
#include "test_routers.hpp"

using namespace hq;

namespace {

const std::string kZone = "vendor.example";

// The SQLite store, counting the reads of every home's records or challenges.
class CountingStore final : public HqStore {
  public:
    int full_reads = 0;
    SqliteHqStore inner{":memory:"};

    std::optional<Home> home_by_token(const Bytes& h) override { return inner.home_by_token(h); }
    std::optional<Home> home_by_name(const std::string& n) override {
        return inner.home_by_name(n);
    }
    HomeInsert insert_home(const Home& h, const HomeRecord& r, const std::string& by) override {
        return inner.insert_home(h, r, by);
    }
    void put_record(const HomeRecord& r) override { inner.put_record(r); }
    std::vector<HomeRecord> records() override {
        ++full_reads;
        return inner.records();
    }
    std::vector<HomeRecord> records_of(const std::string& h) override {
        return inner.records_of(h);
    }
    void put_challenge(const ChallengeTxt& c) override { inner.put_challenge(c); }
    void remove_challenges(const std::string& id) override { inner.remove_challenges(id); }
    std::vector<ChallengeTxt> challenges() override {
        ++full_reads;
        return inner.challenges();
    }
    std::vector<ChallengeTxt> challenges_of(const std::string& h) override {
        return inner.challenges_of(h);
    }
    OrderInsert insert_order_within(const CertificateOrder& o, const OrderLimits& l, TimePoint w,
                                    std::optional<HqError>& refused) override {
        return inner.insert_order_within(o, l, w, refused);
    }
    std::optional<CertificateOrder> order(const std::string& id) override {
        return inner.order(id);
    }
    std::vector<CertificateOrder> due_orders(TimePoint now, size_t limit) override {
        return inner.due_orders(now, limit);
    }
    void update_order(const CertificateOrder& o) override { inner.update_order(o); }
    size_t withdraw_name(const std::string& home, const std::string& label, const std::string& name,
                         rca::RevocationReason reason, TimePoint now) override {
        return inner.withdraw_name(home, label, name, reason, now);
    }
    RouterImport import_routers(const std::vector<RouterCredential>& r, TimePoint now) override {
        return inner.import_routers(r, now);
    }
    std::optional<RouterCredential> router(const std::string& id) override {
        return inner.router(id);
    }
    bool revoke_router(const std::string& id, TimePoint now) override {
        return inner.revoke_router(id, now);
    }
    bool bind_router(const std::string& id, const std::string& home) override {
        return inner.bind_router(id, home);
    }
    std::optional<RouterCredential> router_of_home(const std::string& home) override {
        return inner.router_of_home(home);
    }
};

rca::Ipv4 ip(const char* text) { return *rca::Ipv4::parse(text); }

void add_home(HqStore& store, const std::string& name, const char* address) {
    REQUIRE(store.insert_home({name, Bytes(32, static_cast<uint8_t>(name[0])), Bytes(32, 1), {}},
                              {name, "router", ip(address)},
                              hq::test::router_for_home(store, name)) == HomeInsert::inserted);
}

rca::ZoneAnswer ask(const rca::ZoneHolder& zones, const std::string& name, rca::RrType type) {
    return zones.current()->answer({name, static_cast<uint16_t>(type), rca::kClassIn});
}

std::string address(const rca::ZoneHolder& zones, const std::string& name) {
    const auto a = ask(zones, name, rca::RrType::a);
    REQUIRE(a.answer.size() == 1);
    return std::get<rca::Ipv4>(a.answer[0].data).to_string();
}

uint32_t serial(const rca::ZoneHolder& zones) {
    const auto soa = ask(zones, kZone, rca::RrType::soa);
    REQUIRE(soa.answer.size() == 1);
    return std::get<rca::SoaData>(soa.answer[0].data).serial;
}

}  // namespace

TEST_CASE("a home's change republishes that home only, without reading the whole zone") {
    CountingStore store;
    add_home(store, "nifty-babbage", "192.168.1.1");
    add_home(store, "brave-hopper", "10.1.0.1");
    rca::ZoneHolder zones;
    ZonePublisher publisher(store, kZone, zones);
    publisher.publish_all();
    CHECK(store.full_reads == 2);  // records and challenges, once, at start
    const uint32_t first = serial(zones);
    CHECK(address(zones, "router.brave-hopper.vendor.example") == "10.1.0.1");

    store.put_record({"nifty-babbage", "cam", ip("192.168.1.20")});
    store.put_record({"brave-hopper", "router", ip("10.1.0.99")});  // not yet republished
    publisher.publish_home("nifty-babbage");
    CHECK(store.full_reads == 2);
    CHECK(address(zones, "cam.nifty-babbage.vendor.example") == "192.168.1.20");
    CHECK(address(zones, "router.brave-hopper.vendor.example") == "10.1.0.1");  // left alone
    CHECK(serial(zones) == first + 1);

    SECTION("a challenge belongs to its order's home") {
        CertificateOrder order;
        order.id = "order-1";
        order.home = "brave-hopper";
        order.name = "nas.brave-hopper.vendor.example";
        order.csr_der = Bytes{1};
        std::optional<HqError> refused;
        REQUIRE(store.insert_order_within(order, OrderLimits{}, {}, refused) ==
                OrderInsert::inserted);
        store.put_challenge({"order-1", "_acme-challenge.nas.brave-hopper.vendor.example", "v1"});
        publisher.publish_homes({"brave-hopper"});
        CHECK(address(zones, "router.brave-hopper.vendor.example") == "10.1.0.99");
        const auto txt =
            ask(zones, "_acme-challenge.nas.brave-hopper.vendor.example", rca::RrType::txt);
        REQUIRE(txt.answer.size() == 1);
        CHECK(std::get<rca::TxtData>(txt.answer[0].data).strings[0] == "v1");
        store.remove_challenges("order-1");
        publisher.publish_home("brave-hopper");
        CHECK(
            ask(zones, "_acme-challenge.nas.brave-hopper.vendor.example", rca::RrType::txt).rcode ==
            rca::Rcode::nxdomain);
        CHECK(store.full_reads == 2);
    }
    SECTION("a withdrawn record goes from its home's shard") {
        store.withdraw_name("nifty-babbage", "cam", "cam.nifty-babbage.vendor.example",
                            rca::RevocationReason::unspecified, {});
        publisher.publish_home("nifty-babbage");
        CHECK(ask(zones, "cam.nifty-babbage.vendor.example", rca::RrType::a).rcode ==
              rca::Rcode::nxdomain);
        CHECK(address(zones, "router.nifty-babbage.vendor.example") == "192.168.1.1");
    }
}
