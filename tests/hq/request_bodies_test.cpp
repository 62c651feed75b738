// HQ's API bodies (hq/core/request_bodies.hpp): exactly their string members, strictly parsed, and
// every refusal a bad_request whose problem document can be written (table-driven, house style
// #12).
#include <catch2/catch.hpp>

#include <string>

#include "hq/core/problem_document.hpp"
#include "hq/core/request_bodies.hpp"

using namespace hq;

namespace {

const std::string kToken = "00112233445566778899aabbccddeeff";

// A refusal: bad_request, its detail naming `words`, and a problem document that reads back.
void check_refusal(const HqError& error, const std::string& words) {
    CHECK(error.code == HqErrc::bad_request);
    CHECK(error.detail.find(words) != std::string::npos);
    std::string json;
    REQUIRE_NOTHROW(json = rca::wire::to_json(problem_document(error)));
    std::string parse_error;
    const auto problem = rca::wire::parse_problem(json, parse_error);
    REQUIRE(problem);
    CHECK(problem->status == 400);
}

}  // namespace

TEST_CASE("a registration body is exactly a token and an address") {
    const auto body =
        parse_registration_body(R"({"address":"192.168.1.1","token":")" + kToken + R"("})");
    REQUIRE(body);
    CHECK(body.value().token == kToken);
    CHECK(body.value().address == "192.168.1.1");

    const auto [text, words] = GENERATE(table<std::string, std::string>({
        {R"({"token":"t"})", "missing member \"address\""},
        {R"({"token":"t","address":"a","admin":"yes"})", "unknown member \"admin\""},
        {R"({"token":"t","token":"u","address":"a"})", "duplicate"},
        {R"({"token":5,"address":"a"})", "must be a string"},
        {R"(["t","a"])", "JSON object"},
        {R"({"token":")", "request body"},
        {"", "request body"},
        // An unknown member's name is quoted cut to 40 octets, here inside "é" (found by
        // fuzz_hq_registration): the detail is then not UTF-8, and its document must still be
        // written (router-ca/wire/enrolment_wire.cpp), not thrown on as a 500.
        {"{\"" + std::string(39, 'a') + "\xc3\xa9\":\"x\"}", "unknown member"},
    }));
    CAPTURE(text);
    const auto refused = parse_registration_body(text);
    REQUIRE_FALSE(refused);
    check_refusal(refused.error(), words);
}

TEST_CASE("a record body is exactly an address") {
    const auto body = parse_record_body(R"({"address":"10.1.2.3"})");
    REQUIRE(body);
    CHECK(body.value().address == "10.1.2.3");
    const auto [text, words] = GENERATE(table<std::string, std::string>({
        {R"({})", "missing member \"address\""},
        {R"({"address":"10.1.2.3","ttl":"60"})", "unknown member \"ttl\""},
        {R"({"address":3232235796})", "must be a string"},
        {R"({"address":null})", "must be a string"},
    }));
    CAPTURE(text);
    const auto refused = parse_record_body(text);
    REQUIRE_FALSE(refused);
    check_refusal(refused.error(), words);
}

TEST_CASE("a certificate order body is exactly a CSR") {
    const auto body = parse_certificate_order_body(R"({"csr":"-----BEGIN ..."})");
    REQUIRE(body);
    CHECK(body.value().csr == "-----BEGIN ...");
    const auto [text, words] = GENERATE(table<std::string, std::string>({
        {R"({"csr":"x","name":"cam"})", "unknown member \"name\""},
        {R"({"csr":["x"]})", "must be a string"},
        {R"({"CSR":"x"})", "unknown member \"CSR\""},
    }));
    CAPTURE(text);
    const auto refused = parse_certificate_order_body(text);
    REQUIRE_FALSE(refused);
    check_refusal(refused.error(), words);
}
