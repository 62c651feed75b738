#include "daemon/control_socket.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <string>

#include "../store/store_test_support.hpp"

namespace rca {
namespace {

// The daemon's answers list what the router keeps (1,000 devices' certificates, every ACME
// account), so they may be far longer than any command; commands stay small.
TEST_CASE("an answer longer than a command may be reaches the CLI whole", "[control]") {
    test::TempDir tmp;
    const std::string path = tmp.file("control.sock");
    const std::string long_answer(kMaxControlLine * 4, 'a');
    ControlSocketServer server(path, [&](const std::string& line) {
        return line == "list" ? long_answer : std::string("unknown");
    });
    server.start();

    const auto answer = control_request(path, "list");
    REQUIRE(answer.ok());
    CHECK(answer.value() == long_answer);
}

TEST_CASE("a command longer than kMaxControlLine gets no answer", "[control]") {
    test::TempDir tmp;
    const std::string path = tmp.file("control.sock");
    std::atomic<bool> handled{false};
    ControlSocketServer server(path, [&](const std::string&) {
        handled = true;
        return std::string("done");
    });
    server.start();

    CHECK_FALSE(control_request(path, std::string(kMaxControlLine + 4096, 'c')).ok());
    CHECK_FALSE(handled);
    const auto small = control_request(path, "status");
    REQUIRE(small.ok());
    CHECK(small.value() == "done");
}

}  // namespace
}  // namespace rca
