// The contract between the response writer and the response cache (dns/response_layout.hpp):
// locate_layout finds the question and the DO bit where the writer put them, and a response
// written for a blank query and patched for another equals the one written for that query.
#include <catch2/catch.hpp>

#include "dns/response_layout.hpp"
#include "dns/response_writer.hpp"
#include "dns_test_support.hpp"

using namespace rca::dns;
using namespace rca::dns::test;

namespace {

ParsedQuery parsed(const std::string& name, const QueryOptions& options) {
    const auto wire = make_query(name, LDNS_RR_TYPE_A, options);
    ParsedQuery q = parse_query(wire.data(), wire.size());
    REQUIRE(q.verdict == QueryVerdict::answer);
    return q;
}

}  // namespace

TEST_CASE("response layout: the question after the header, the DO bit in the last OPT", "[dns]") {
    const ParsedQuery q = parsed("Printer.Home.Arpa", QueryOptions{}.with_edns(1232, 0, true));
    const WrittenResponse written = write_bare_response(q, LDNS_RCODE_REFUSED, false);
    const ResponseLayout layout = locate_layout(written.wire, q);
    CHECK(layout.question_offset == 12);
    CHECK(layout.question_length == q.question_wire.size());
    REQUIRE(layout.do_octet);
    CHECK(*layout.do_octet == written.wire.size() - 4);   // OPT: owner 1, type 2, class 2, TTL 4...
    CHECK((written.wire[*layout.do_octet] & 0x80) != 0);  // ...whose third octet holds DO
    CHECK(written.layout.question_offset == layout.question_offset);
    CHECK(written.layout.do_octet == layout.do_octet);

    const ParsedQuery plain = parsed("printer.home.arpa", QueryOptions{});
    CHECK_FALSE(locate_layout(write_bare_response(plain, 0, true).wire, plain).do_octet);
}

TEST_CASE("response layout: a patched template equals the response written afresh", "[dns]") {
    const auto with_edns = GENERATE(false, true);
    CAPTURE(with_edns);
    QueryOptions blank = QueryOptions{}.with_id(0).with_rd(false);
    QueryOptions asked = QueryOptions{}.with_id(0xbeef, true).with_rd(true);
    if (with_edns) {
        blank = blank.with_edns(1232, 0, false);
        asked = asked.with_edns(1232, 0, true);
    }
    const ParsedQuery template_query = parsed("printer.home.arpa", blank);
    const ParsedQuery query = parsed("PrInTeR.hOmE.aRpA", asked);
    WrittenResponse cached = write_bare_response(template_query, LDNS_RCODE_NXDOMAIN, true);
    REQUIRE(patch_response(cached.wire, cached.layout, query));
    CHECK(cached.wire == write_bare_response(query, LDNS_RCODE_NXDOMAIN, true).wire);
}

TEST_CASE("response layout: a response not laid out as agreed is refused", "[dns]") {
    const ParsedQuery q = parsed("printer.home.arpa", QueryOptions{}.with_edns(1232));
    const auto wire = write_bare_response(q, 0, true).wire;
    // Without its OPT record last.
    const std::vector<uint8_t> no_opt(wire.begin(), wire.end() - 11);
    CHECK_THROWS_AS(locate_layout(no_opt, q), std::logic_error);
    // With another question than the query's.
    const ParsedQuery other = parsed("nas.home.arpa", QueryOptions{}.with_edns(1232));
    CHECK_THROWS_AS(locate_layout(wire, other), std::logic_error);
    // A layout that does not fit the query is never applied.
    auto copy = wire;
    const ResponseLayout layout = locate_layout(wire, q);
    CHECK_FALSE(patch_response(copy, layout, other));
}
