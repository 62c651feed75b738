#include "mdns/host_plan.hpp"

#include <catch2/catch.hpp>

namespace {

rca::Ipv4 ip(const char* text) { return *rca::Ipv4::parse(text); }

}  // namespace

TEST_CASE("labels published under .local", "[host_plan]") {
    struct Row {
        std::string label;
        bool ok;
    };
    const auto row = GENERATE(values<Row>({
        {"camera", true},
        {"Camera-2", true},
        {"a", true},
        {std::string(63, 'x'), true},
        {std::string(64, 'x'), false},
        {"", false},
        {"-camera", false},
        {"camera-", false},
        {"cam.era", false},
        {"cam era", false},
        {"caméra", false},
    }));
    INFO(row.label);
    CHECK(rca::mdns::is_publishable_label(row.label) == row.ok);
}

TEST_CASE("local names are lower case", "[host_plan]") {
    CHECK(rca::mdns::local_name("Camera") == "camera.local");
}

TEST_CASE("plans touch only what changed", "[host_plan]") {
    const rca::mdns::HostMap published = {{"camera", ip("192.168.1.20")},
                                          {"nas", ip("192.168.1.30")},
                                          {"printer", ip("192.168.1.40")}};

    SECTION("the same set again: nothing to do") {
        const auto plan = rca::mdns::plan_hosts(published, {{"printer", ip("192.168.1.40")},
                                                            {"camera", ip("192.168.1.20")},
                                                            {"nas", ip("192.168.1.30")}});
        CHECK(plan.publish.empty());
        CHECK(plan.withdraw.empty());
        CHECK(plan.rejected.empty());
        CHECK(plan.wanted == published);
    }
    SECTION("one moved, one gone, one new") {
        const auto plan = rca::mdns::plan_hosts(published, {{"camera", ip("192.168.1.21")},
                                                            {"nas", ip("192.168.1.30")},
                                                            {"doorbell", ip("192.168.1.50")}});
        CHECK(plan.publish == std::vector<std::string>{"camera", "doorbell"});
        CHECK(plan.withdraw == std::vector<std::string>{"printer"});
        CHECK(plan.wanted.at("camera") == ip("192.168.1.21"));
    }
    SECTION("an empty set withdraws everything") {
        const auto plan = rca::mdns::plan_hosts(published, {});
        CHECK(plan.withdraw == std::vector<std::string>{"camera", "nas", "printer"});
        CHECK(plan.publish.empty());
    }
    SECTION("labels compare without case (RFC 6762 section 16)") {
        const auto plan = rca::mdns::plan_hosts(published, {{"CAMERA", ip("192.168.1.20")},
                                                            {"Nas", ip("192.168.1.30")},
                                                            {"printer", ip("192.168.1.40")}});
        CHECK(plan.publish.empty());
        CHECK(plan.withdraw.empty());
    }
}

TEST_CASE("hosts that cannot be published are rejected with a sentence each", "[host_plan]") {
    const auto plan = rca::mdns::plan_hosts({}, {{"camera", ip("192.168.1.20")},
                                                 {"Camera", ip("192.168.1.99")},
                                                 {"bad.label", ip("192.168.1.30")},
                                                 {"", ip("192.168.1.31")}});
    CHECK(plan.publish == std::vector<std::string>{"camera"});
    CHECK(plan.wanted.at("camera") == ip("192.168.1.20"));  // the first one wins
    REQUIRE(plan.rejected.size() == 3);
    CHECK_THAT(plan.rejected[0], Catch::Contains("camera.local is asked for twice"));
    CHECK_THAT(plan.rejected[1], Catch::Contains("\"bad.label\" is not a single DNS label"));
}
