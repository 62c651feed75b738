#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "core/home_zone.hpp"
#include "core/zone_holder.hpp"
#include "core/zone_name.hpp"
#include "dns_test_support.hpp"

using namespace rca;
using rca::dns::test::test_home_input;

namespace {

struct Expect {
    std::string name;
    RrType type;
    Rcode rcode;
    std::vector<std::string> answers;  // A as dotted quad, names as text
    bool soa_in_authority;
};

std::string rdata_text(const ResourceRecord& rr) {
    if (const auto* a = std::get_if<Ipv4>(&rr.data)) return a->to_string();
    if (const auto* n = std::get_if<NameData>(&rr.data)) return n->name;
    if (const auto* s = std::get_if<SoaData>(&rr.data)) return s->mname + " " + s->rname;
    return std::get<TxtData>(rr.data).strings.front();
}

}  // namespace

TEST_CASE("the home zone answers the table of questions") {
    const ZoneSet zones = build_home_zone(test_home_input());
    const Expect table[] = {
        {"camera.home.arpa", RrType::a, Rcode::noerror, {"192.168.1.20"}, false},
        {"camera.home.arpa", RrType::aaaa, Rcode::noerror, {}, true},  // NODATA
        {"camera.home.arpa", RrType::txt, Rcode::noerror, {}, true},
        {"router.home.arpa", RrType::a, Rcode::noerror, {"192.168.1.1"}, false},
        {"nas.home.arpa", RrType::a, Rcode::noerror, {"10.9.9.9"}, false},
        {"home.arpa",
         RrType::soa,
         Rcode::noerror,
         {"router.home.arpa hostmaster.home.arpa"},
         false},
        {"home.arpa", RrType::ns, Rcode::noerror, {"router.home.arpa"}, false},
        {"home.arpa", RrType::a, Rcode::noerror, {}, true},
        {"ghost.home.arpa", RrType::a, Rcode::nxdomain, {}, true},
        {"deep.camera.home.arpa", RrType::a, Rcode::nxdomain, {}, true},
        {"20.1.168.192.in-addr.arpa", RrType::ptr, Rcode::noerror, {"camera.home.arpa"}, false},
        {"1.1.168.192.in-addr.arpa", RrType::ptr, Rcode::noerror, {"router.home.arpa"}, false},
        {"99.1.168.192.in-addr.arpa", RrType::ptr, Rcode::nxdomain, {}, true},  // LAN, no device
        {"1.168.192.in-addr.arpa", RrType::ptr, Rcode::noerror, {}, true},      // non-terminal
        {"168.192.in-addr.arpa",
         RrType::soa,
         Rcode::noerror,
         {"router.home.arpa hostmaster.home.arpa"},
         false},
        {"9.9.9.10.in-addr.arpa", RrType::ptr, Rcode::refused, {}, false},  // outside the LAN
        {"1.0.0.127.in-addr.arpa", RrType::ptr, Rcode::refused, {}, false},
        {"example.com", RrType::a, Rcode::refused, {}, false},
        {"arpa", RrType::soa, Rcode::refused, {}, false},
        {"", RrType::ns, Rcode::refused, {}, false},
    };
    for (const auto& row : table) {
        INFO(row.name << " type " << static_cast<int>(row.type));
        const ZoneAnswer a = zones.answer({row.name, static_cast<uint16_t>(row.type), kClassIn});
        CHECK(a.rcode == row.rcode);
        CHECK(a.authoritative == (row.rcode != Rcode::refused));
        std::vector<std::string> got;
        for (const auto& rr : a.answer) {
            got.push_back(rdata_text(rr));
            CHECK(rr.ttl == kHomeZoneTtl);
        }
        CHECK(got == row.answers);
        CHECK((a.authority.size() == 1 && a.authority[0].type == RrType::soa) ==
              row.soa_in_authority);
        if (row.soa_in_authority) {
            CHECK(a.authority[0].ttl == kHomeZoneNegativeTtl);
            CHECK(std::get<SoaData>(a.authority[0].data).serial == 42);
        }
    }
}

TEST_CASE("lookups ignore case and answers keep the question's spelling") {
    const ZoneSet zones = build_home_zone(test_home_input());
    const ZoneAnswer a = zones.answer({"CaMeRa.HoMe.ArPa.", 1, kClassIn});
    REQUIRE(a.answer.size() == 1);
    CHECK(a.answer[0].name == "CaMeRa.HoMe.ArPa");
    CHECK(zones.answer({"HOME.ARPA", static_cast<uint16_t>(RrType::soa), kClassIn}).answer.size() ==
          1);
}

TEST_CASE("host labels are lowered and must be single LDH labels") {
    HomeZoneInput in = test_home_input();
    in.hosts = {{"Kitchen-Light", *Ipv4::parse("192.168.2.2")}};
    const ZoneSet zones = build_home_zone(in);
    CHECK(zones.answer({"kitchen-light.home.arpa", 1, kClassIn}).answer.size() == 1);
    CHECK(zones.answer({"2.2.168.192.in-addr.arpa", 12, kClassIn}).answer.size() == 1);

    for (const char* bad : {"a.b", "", "under_score", "sp ace"}) {
        in.hosts = {{bad, Ipv4{1}}};
        CHECK_THROWS_AS(build_home_zone(in), std::invalid_argument);
    }
    in.hosts.clear();
    in.domain = "Not A Domain";
    CHECK_THROWS_AS(build_home_zone(in), std::invalid_argument);
}

TEST_CASE("without a router address the router has no A record but stays the NS") {
    HomeZoneInput in = test_home_input();
    in.router_address.reset();
    const ZoneSet zones = build_home_zone(in);
    CHECK(zones.answer({"router.home.arpa", 1, kClassIn}).rcode == Rcode::nxdomain);
    CHECK(zones.answer({"home.arpa", 2, kClassIn}).answer.size() == 1);
}

TEST_CASE("several devices on one address give several PTRs") {
    HomeZoneInput in = test_home_input();
    in.hosts.push_back({"camera-old", *Ipv4::parse("192.168.1.20")});
    const ZoneSet zones = build_home_zone(in);
    CHECK(zones.answer({"20.1.168.192.in-addr.arpa", 12, kClassIn}).answer.size() == 2);
}

TEST_CASE("reverse zones cover the LAN subnets exactly") {
    const auto apexes = [](std::vector<std::string> subnets) {
        std::vector<Ipv4Subnet> parsed;
        for (const auto& s : subnets) parsed.push_back(*Ipv4Subnet::parse(s));
        return reverse_zone_apexes(parsed);
    };
    CHECK(apexes({"192.168.0.0/16"}) == std::vector<std::string>{"168.192.in-addr.arpa"});
    CHECK(apexes({"10.0.0.0/8"}) == std::vector<std::string>{"10.in-addr.arpa"});
    CHECK(apexes({"192.168.1.0/24"}) == std::vector<std::string>{"1.168.192.in-addr.arpa"});
    const auto twelve = apexes({"172.16.0.0/12"});
    REQUIRE(twelve.size() == 16);
    CHECK(twelve.front() == "16.172.in-addr.arpa");
    CHECK(twelve.back() == "31.172.in-addr.arpa");
    CHECK(apexes({"192.168.1.128/25"}).size() == 128);
    // Nested or repeated subnets do not make nested or repeated zones.
    CHECK(apexes({"10.1.0.0/16", "10.0.0.0/8", "10.0.0.0/8"}) ==
          std::vector<std::string>{"10.in-addr.arpa"});

    // With 172.16.0.0/12 as the LAN, 172.32.x.x is outside it and REFUSED.
    HomeZoneInput in = test_home_input();
    in.lan_subnets = {*Ipv4Subnet::parse("172.16.0.0/12")};
    in.hosts = {{"tv", *Ipv4::parse("172.20.0.5")}};
    const ZoneSet zones = build_home_zone(in);
    CHECK(zones.answer({"5.0.20.172.in-addr.arpa", 12, kClassIn}).answer.size() == 1);
    CHECK(zones.answer({"5.0.32.172.in-addr.arpa", 12, kClassIn}).rcode == Rcode::refused);
}

TEST_CASE("a zone of 10,000 devices builds and answers") {
    HomeZoneInput in = test_home_input();
    in.hosts.clear();
    for (uint32_t i = 0; i < 10000; ++i)
        in.hosts.push_back(
            {"device-" + std::to_string(i), Ipv4{(192u << 24 | 168u << 16) + 256 + i}});
    const ZoneSet zones = build_home_zone(in);
    CHECK(zones.answer({"device-9999.home.arpa", 1, kClassIn}).answer.size() == 1);
    CHECK(zones.answer({reverse_name(Ipv4{(192u << 24 | 168u << 16) + 256 + 9999}), 12, kClassIn})
              .answer.size() == 1);
}

TEST_CASE("ZoneHolder swaps snapshots while readers keep theirs") {
    ZoneHolder holder;
    CHECK(holder.current()->answer({"camera.home.arpa", 1, kClassIn}).rcode == Rcode::refused);
    auto first = std::make_shared<const ZoneSet>(build_home_zone(test_home_input()));
    holder.publish(first);
    const auto held = holder.current();

    HomeZoneInput moved = test_home_input();
    moved.hosts = {{"camera", *Ipv4::parse("192.168.7.7")}};
    holder.publish(std::make_shared<const ZoneSet>(build_home_zone(moved)));
    CHECK(rdata_text(held->answer({"camera.home.arpa", 1, kClassIn}).answer.at(0)) ==
          "192.168.1.20");
    CHECK(rdata_text(holder.current()->answer({"camera.home.arpa", 1, kClassIn}).answer.at(0)) ==
          "192.168.7.7");
    holder.publish(nullptr);
    CHECK(holder.current() != nullptr);

    // Readers and a writer at once: every read sees a whole snapshot.
    std::atomic<bool> done{false};
    std::atomic<int> bad{0};
    std::thread reader([&] {
        while (!done) {
            const auto a = holder.current()->answer({"camera.home.arpa", 1, kClassIn});
            if (a.rcode != Rcode::refused && a.answer.size() != 1) ++bad;
        }
    });
    for (int i = 0; i < 200; ++i) holder.publish(i % 2 ? first : nullptr);
    done = true;
    reader.join();
    CHECK(bad == 0);
}

TEST_CASE("with a public zone, <label>.<home>.<ZONE> answers as <label>.<home domain> does") {
    HomeZoneInput input = test_home_input();
    input.public_zone = "nifty-babbage.vendor-cert.example";
    const ZoneSet zones = build_home_zone(input);
    const Expect table[] = {
        {"camera.nifty-babbage.vendor-cert.example", RrType::a, Rcode::noerror, {"192.168.1.20"}, false},
        {"router.nifty-babbage.vendor-cert.example", RrType::a, Rcode::noerror, {"192.168.1.1"}, false},
        {"CAMERA.Nifty-Babbage.vendor-cert.example", RrType::a, Rcode::noerror, {"192.168.1.20"}, false},
        {"nifty-babbage.vendor-cert.example",
         RrType::ns,
         Rcode::noerror,
         {"router.nifty-babbage.vendor-cert.example"},
         false},
        {"ghost.nifty-babbage.vendor-cert.example", RrType::a, Rcode::nxdomain, {}, true},
        {"camera.home.arpa", RrType::a, Rcode::noerror, {"192.168.1.20"}, false},
        // PTRs keep naming the home domain.
        {"20.1.168.192.in-addr.arpa", RrType::ptr, Rcode::noerror, {"camera.home.arpa"}, false},
        // The rest of the vendor zone is another home's or HQ's: never answered, never resolved.
        {"camera.other-home.vendor-cert.example", RrType::a, Rcode::refused, {}, false},
        {"vendor-cert.example", RrType::soa, Rcode::refused, {}, false},
        {"example.com", RrType::a, Rcode::refused, {}, false},
    };
    for (const auto& row : table) {
        INFO(row.name);
        const ZoneAnswer a = zones.answer({row.name, static_cast<uint16_t>(row.type), kClassIn});
        CHECK(a.rcode == row.rcode);
        std::vector<std::string> got;
        for (const auto& rr : a.answer) got.push_back(rdata_text(rr));
        CHECK(got == row.answers);
        CHECK((a.authority.size() == 1 && a.authority[0].type == RrType::soa) ==
              row.soa_in_authority);
    }
}

TEST_CASE("a public zone that overlaps the home domain, or is not a domain, is refused") {
    for (const char* bad : {"home.arpa", "x.home.arpa", "arpa", "Not A Domain", ""}) {
        INFO(bad);
        HomeZoneInput input = test_home_input();
        input.public_zone = bad;
        CHECK_THROWS_AS(build_home_zone(input), std::invalid_argument);
    }
}
