#pragma once
// JSON from hostile peers is checked before it is built: nlohmann's parser lets duplicate member
// names through (keeping the last) and nests without bound, and building a deeply nested document
// costs far more memory than its text (about 64 octets a level: 4 MiB for a 64 KiB body of '[').
// One SAX pass refuses both, for JWS bodies, headers, ACME payloads and the device API's bodies
// alike. Header-only: the device API's wire types and the JOSE code share it.
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace rca {
namespace strict_json_detail {

using nlohmann::json;

/// JSON nesting deeper than this is refused. An ACME request nests three or four levels; the
/// bound keeps hostile input from making any later recursive walk over the document deep.
constexpr size_t kMaxJsonDepth = 32;

/// A first pass over JSON text for what nlohmann's parser lets through: duplicate member names,
/// which it resolves silently to the last one (RFC 7515 section 4 lets a JWS parser reject them
/// instead, and when two parties may read different values that is the only safe choice), and
/// deep nesting.
class StrictJsonCheck final : public nlohmann::json_sax<json> {
  public:
    /// Why the text was refused; empty when it was not.
    std::string problem;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override {
        objects_.emplace_back();
        return enter();
    }
    bool key(string_t& name) override {
        if (objects_.back().insert(name).second) return true;
        problem = "duplicate member name \"" + name + "\"";
        return false;
    }
    bool end_object() override {
        objects_.pop_back();
        --depth_;
        return true;
    }
    bool start_array(std::size_t) override { return enter(); }
    bool end_array() override {
        --depth_;
        return true;
    }
    bool parse_error(std::size_t position, const std::string&,
                     const nlohmann::detail::exception&) override {
        problem = "not valid JSON (at byte " + std::to_string(position) + ")";
        return false;
    }

  private:
    bool enter() {
        if (++depth_ <= kMaxJsonDepth) return true;
        problem = "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
        return false;
    }

    std::vector<std::set<std::string>> objects_;  // member names seen, per open object
    size_t depth_ = 0;
};

}  // namespace strict_json_detail

/// Why `text` must not be parsed: not valid JSON, a duplicate member name, or nested deeper than
/// 32 levels; nullopt when it may be.
inline std::optional<std::string> strict_json_problem(std::string_view text) {
    strict_json_detail::StrictJsonCheck check;
    if (nlohmann::json::sax_parse(text.begin(), text.end(), &check)) return std::nullopt;
    return check.problem.empty() ? std::string("not valid JSON") : check.problem;
}

}  // namespace rca
