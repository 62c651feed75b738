// The vendor zone: SOA/NS at the apex, home records, challenge TXT, REFUSED outside.
#include <catch2/catch.hpp>

#include "hq/core/vendor_zone.hpp"

using namespace hq;
using rca::Question;
using rca::Rcode;
using rca::RrType;

namespace {

Question q(const std::string& name, RrType type) { return {name, static_cast<uint16_t>(type)}; }

rca::ZoneSet sample() {
    VendorZoneInput input;
    input.apex = "vendor.example";
    input.records = {{"nifty-babbage", "router", *rca::Ipv4::parse("192.168.1.1")},
                     {"nifty-babbage", "cam", *rca::Ipv4::parse("192.168.1.20")}};
    input.challenges = {{"order1", "_acme-challenge.cam.nifty-babbage.vendor.example", "abc"}};
    input.serial = 7;
    return build_vendor_zone(input);
}

}  // namespace

TEST_CASE("the apex has SOA and NS") {
    const auto zones = sample();
    const auto soa = zones.answer(q("vendor.example", RrType::soa));
    REQUIRE(soa.rcode == Rcode::noerror);
    REQUIRE(soa.answer.size() == 1);
    CHECK(std::get<rca::SoaData>(soa.answer[0].data).serial == 7);
    CHECK(std::get<rca::SoaData>(soa.answer[0].data).mname == "ns1.vendor.example");
    const auto ns = zones.answer(q("vendor.example", RrType::ns));
    REQUIRE(ns.answer.size() == 1);
    CHECK(std::get<rca::NameData>(ns.answer[0].data).name == "ns1.vendor.example");
}

TEST_CASE("home records answer A with a 60 s TTL, case-insensitively") {
    const auto a = sample().answer(q("CAM.Nifty-Babbage.vendor.example", RrType::a));
    REQUIRE(a.rcode == Rcode::noerror);
    CHECK(a.authoritative);
    REQUIRE(a.answer.size() == 1);
    CHECK(std::get<rca::Ipv4>(a.answer[0].data).to_string() == "192.168.1.20");
    CHECK(a.answer[0].ttl == kVendorRecordTtl);
}

TEST_CASE("challenge records answer TXT") {
    const auto txt =
        sample().answer(q("_acme-challenge.cam.nifty-babbage.vendor.example", RrType::txt));
    REQUIRE(txt.answer.size() == 1);
    CHECK(std::get<rca::TxtData>(txt.answer[0].data).strings == std::vector<std::string>{"abc"});
}

TEST_CASE("unknown names are NXDOMAIN, a home's apex NODATA, other zones REFUSED") {
    const auto zones = sample();
    CHECK(zones.answer(q("nas.nifty-babbage.vendor.example", RrType::a)).rcode == Rcode::nxdomain);
    const auto home = zones.answer(q("nifty-babbage.vendor.example", RrType::a));
    CHECK(home.rcode == Rcode::noerror);
    CHECK(home.answer.empty());
    const auto outside = zones.answer(q("example.com", RrType::a));
    CHECK(outside.rcode == Rcode::refused);
    CHECK_FALSE(outside.authoritative);
}

TEST_CASE("an invalid apex is a bug of the caller") {
    VendorZoneInput input;
    input.apex = "Not A Zone";
    CHECK_THROWS_AS(build_vendor_zone(input), std::invalid_argument);
}
