// A Zone answering below its apex from ZoneShards: each shard replaced alone, the others kept;
// a shard's root answers NODATA; bad input changes nothing.
#include <catch2/catch.hpp>

#include "core/zone.hpp"
#include "core/zone_shards.hpp"

using namespace rca;

namespace {

Question q(const std::string& name, RrType type) {
    return {name, static_cast<uint16_t>(type), kClassIn};
}

Zone apex_over(std::shared_ptr<const ZoneShards> shards) {
    SoaData soa{"ns1.vendor.example", "hostmaster.vendor.example", 1, 3600, 600, 1209600, 60};
    return Zone("vendor.example",
                {ResourceRecord::soa("vendor.example", 60, soa),
                 ResourceRecord::ns("vendor.example", 60, "ns1.vendor.example")},
                std::move(shards));
}

std::string address_of(const ZoneAnswer& a) {
    REQUIRE(a.answer.size() == 1);
    return std::get<Ipv4>(a.answer[0].data).to_string();
}

}  // namespace

TEST_CASE("a shard is replaced alone; the zone answers each change at once") {
    auto shards = std::make_shared<ZoneShards>("vendor.example");
    const Zone zone = apex_over(shards);
    shards->replace("one.vendor.example",
                    {ResourceRecord::a("router.one.vendor.example", 60, *Ipv4::parse("10.0.0.1"))});
    shards->replace("two.vendor.example",
                    {ResourceRecord::a("Router.Two.vendor.example", 60, *Ipv4::parse("10.0.0.2")),
                     ResourceRecord::txt("_acme-challenge.cam.two.vendor.example", 10, {"v"})});
    CHECK(address_of(zone.answer(q("ROUTER.one.vendor.example", RrType::a))) == "10.0.0.1");
    CHECK(address_of(zone.answer(q("router.two.vendor.example", RrType::a))) == "10.0.0.2");
    CHECK(zone.answer(q("_acme-challenge.cam.two.vendor.example", RrType::txt)).answer.size() == 1);
    // Empty non-terminals inside a shard, and its root, are NODATA (RFC 8020 §2).
    for (const char* name : {"cam.two.vendor.example", "two.vendor.example"}) {
        const auto nodata = zone.answer(q(name, RrType::a));
        CHECK(nodata.rcode == Rcode::noerror);
        CHECK(nodata.answer.empty());
        CHECK(nodata.authority.size() == 1);
    }

    shards->replace("one.vendor.example",
                    {ResourceRecord::a("router.one.vendor.example", 60, *Ipv4::parse("10.0.0.9"))});
    CHECK(address_of(zone.answer(q("router.one.vendor.example", RrType::a))) == "10.0.0.9");
    CHECK(address_of(zone.answer(q("router.two.vendor.example", RrType::a))) == "10.0.0.2");

    shards->replace("two.vendor.example", {});  // removed
    CHECK(shards->size() == 1);
    CHECK(zone.answer(q("router.two.vendor.example", RrType::a)).rcode == Rcode::nxdomain);
    CHECK(zone.answer(q("two.vendor.example", RrType::a)).rcode == Rcode::nxdomain);
    CHECK(zone.answer(q("vendor.example", RrType::soa)).answer.size() == 1);
}

TEST_CASE("a bad shard is refused and changes nothing") {
    auto shards = std::make_shared<ZoneShards>("vendor.example");
    const Zone zone = apex_over(shards);
    shards->replace("one.vendor.example",
                    {ResourceRecord::a("router.one.vendor.example", 60, *Ipv4::parse("10.0.0.1"))});
    // An owner outside its root, a root that is the apex or outside the zone, a TXT with no string.
    CHECK_THROWS_AS(
        shards->replace("one.vendor.example", {ResourceRecord::a("router.two.vendor.example", 60,
                                                                 *Ipv4::parse("10.0.0.2"))}),
        std::invalid_argument);
    CHECK_THROWS_AS(shards->replace("vendor.example", {}), std::invalid_argument);
    CHECK_THROWS_AS(shards->replace("one.example.com", {}), std::invalid_argument);
    CHECK_THROWS_AS(shards->replace("one.vendor.example",
                                    {ResourceRecord::txt("x.one.vendor.example", 10, {})}),
                    std::invalid_argument);
    CHECK(address_of(zone.answer(q("router.one.vendor.example", RrType::a))) == "10.0.0.1");
}

TEST_CASE("replace_all swaps every shard and drops the roots it does not name") {
    auto shards = std::make_shared<ZoneShards>("vendor.example");
    const Zone zone = apex_over(shards);
    shards->replace("old.vendor.example",
                    {ResourceRecord::a("router.old.vendor.example", 60, *Ipv4::parse("10.0.0.1"))});
    shards->replace_all(
        {{"new.vendor.example",
          {ResourceRecord::a("router.new.vendor.example", 60, *Ipv4::parse("10.0.0.3"))}}});
    CHECK(zone.answer(q("router.old.vendor.example", RrType::a)).rcode == Rcode::nxdomain);
    CHECK(address_of(zone.answer(q("router.new.vendor.example", RrType::a))) == "10.0.0.3");
    CHECK(shards->root_of("_acme-challenge.cam.new.Vendor.Example") == "new.vendor.example");
    CHECK(shards->root_of("vendor.example").empty());
    CHECK(shards->root_of("example.com").empty());
}
