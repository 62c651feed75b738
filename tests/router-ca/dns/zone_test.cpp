// The generic Zone, exercised the way a vendor zone will use it: TXT challenge records under an
// apex, plus the validation every zone gets.
#include <catch2/catch.hpp>

#include "core/zone.hpp"
#include "core/zone_set.hpp"

using namespace rca;

namespace {

SoaData vendor_soa() {
    SoaData soa;
    soa.mname = "ns1.vendor.example";
    soa.rname = "hostmaster.vendor.example";
    soa.serial = 7;
    soa.refresh = 3600;
    soa.retry = 600;
    soa.expire = 1209600;
    soa.minimum = 30;
    return soa;
}

Zone vendor_zone() {
    return Zone(
        "Vendor.Example.",
        {
            ResourceRecord::soa("vendor.example", 300, vendor_soa()),
            ResourceRecord::ns("vendor.example", 300, "ns1.vendor.example"),
            ResourceRecord::a("ns1.vendor.example", 300, *Ipv4::parse("203.0.113.1")),
            ResourceRecord::txt("_acme-challenge.home1.vendor.example", 60, {"token-one"}),
            ResourceRecord::txt("_acme-challenge.home1.vendor.example", 60, {"token-two"}),
            ResourceRecord::txt("_acme-challenge.home1.vendor.example", 60, {"token-two"}),  // dup
        });
}

Question q(const std::string& name, RrType type) {
    return {name, static_cast<uint16_t>(type), kClassIn};
}

}  // namespace

TEST_CASE("a generic zone answers TXT challenges, deduplicated") {
    const Zone zone = vendor_zone();
    CHECK(zone.apex() == "vendor.example");
    CHECK(zone.record_count() == 5);
    const ZoneAnswer a = zone.answer(q("_ACME-challenge.home1.vendor.example", RrType::txt));
    CHECK(a.rcode == Rcode::noerror);
    CHECK(a.authoritative);
    REQUIRE(a.answer.size() == 2);
    CHECK(a.answer[0].name == "_ACME-challenge.home1.vendor.example");  // spelled as asked
    CHECK(std::get<TxtData>(a.answer[0].data).strings == std::vector<std::string>{"token-one"});
    CHECK(a.authority.empty());
}

TEST_CASE("an empty non-terminal is NODATA, not NXDOMAIN (RFC 8020)") {
    const ZoneAnswer a = vendor_zone().answer(q("home1.vendor.example", RrType::txt));
    CHECK(a.rcode == Rcode::noerror);
    CHECK(a.answer.empty());
    REQUIRE(a.authority.size() == 1);
    CHECK(a.authority[0].type == RrType::soa);
    CHECK(a.authority[0].ttl == 30);  // min(SOA TTL 300, MINIMUM 30), RFC 2308 §3
}

TEST_CASE("NS answers carry the in-zone server's address as additional data") {
    const ZoneAnswer a = vendor_zone().answer(q("vendor.example", RrType::ns));
    REQUIRE(a.answer.size() == 1);
    REQUIRE(a.additional.size() == 1);
    CHECK(a.additional[0].name == "ns1.vendor.example");
}

TEST_CASE("ANY returns every record at the name") {
    const ZoneAnswer a = vendor_zone().answer(q("vendor.example", RrType::any));
    CHECK(a.rcode == Rcode::noerror);
    CHECK(a.answer.size() == 2);  // SOA and NS
}

TEST_CASE("a zone refuses other classes, zone transfers and names outside it") {
    const Zone zone = vendor_zone();
    CHECK(zone.answer({"vendor.example", static_cast<uint16_t>(RrType::soa), 3}).rcode ==
          Rcode::refused);  // CHAOS
    CHECK(zone.answer({"vendor.example", static_cast<uint16_t>(RrType::soa), kClassAny}).rcode ==
          Rcode::noerror);
    CHECK(zone.answer(q("vendor.example", RrType::axfr)).rcode == Rcode::refused);
    const ZoneAnswer outside = zone.answer(q("example.com", RrType::a));
    CHECK(outside.rcode == Rcode::refused);
    CHECK_FALSE(outside.authoritative);
}

TEST_CASE("a zone refuses inconsistent contents") {
    using R = ResourceRecord;
    CHECK_THROWS_AS(Zone("z.example", {R::a("z.example", 60, Ipv4{1})}), std::invalid_argument);
    CHECK_THROWS_AS(Zone("z.example", {R::soa("z.example", 60, vendor_soa()),
                                       R::soa("z.example", 60, vendor_soa())}),
                    std::invalid_argument);
    CHECK_THROWS_AS(Zone("z.example", {R::soa("a.z.example", 60, vendor_soa())}),
                    std::invalid_argument);
    CHECK_THROWS_AS(Zone("z.example", {R::soa("z.example", 60, vendor_soa()),
                                       R::a("other.example", 60, Ipv4{1})}),
                    std::invalid_argument);
    CHECK_THROWS_AS(Zone("z.example", {R::soa("z.example", 60, vendor_soa()),
                                       R::txt("z.example", 60, {std::string(256, 'x')})}),
                    std::invalid_argument);
    ResourceRecord wrong = R::a("z.example", 60, Ipv4{1});
    wrong.type = RrType::ns;
    CHECK_THROWS_AS(Zone("z.example", {R::soa("z.example", 60, vendor_soa()), wrong}),
                    std::invalid_argument);
}

TEST_CASE("a ZoneSet sends each question to the closest enclosing zone") {
    std::vector<Zone> zones;
    zones.push_back(vendor_zone());
    SoaData soa = vendor_soa();
    zones.emplace_back(
        "sub.vendor.example",
        std::vector<ResourceRecord>{ResourceRecord::soa("sub.vendor.example", 60, soa),
                                    ResourceRecord::a("x.sub.vendor.example", 60, Ipv4{5})});
    const ZoneSet set(std::move(zones));
    CHECK(set.find_zone("X.SUB.vendor.example.")->apex() == "sub.vendor.example");
    CHECK(set.find_zone("home1.vendor.example")->apex() == "vendor.example");
    CHECK(set.find_zone("example.com") == nullptr);
    CHECK(set.answer(q("x.sub.vendor.example", RrType::a)).answer.size() == 1);
    CHECK(set.answer(q("example.com", RrType::a)).rcode == Rcode::refused);
    CHECK(ZoneSet().answer(q("vendor.example", RrType::soa)).rcode == Rcode::refused);
    CHECK_THROWS_AS(ZoneSet({vendor_zone(), vendor_zone()}), std::invalid_argument);
}

TEST_CASE("standard_soa: hostmaster.<apex>, the RFC 1912 timers, the given serial and minimum") {
    CHECK(standard_soa("Vendor.Example.", "ns1.vendor.example", 7, 30) == vendor_soa());
}
