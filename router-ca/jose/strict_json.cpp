#include "jose/strict_json.hpp"

#include "common/strict_json.hpp"

namespace rca::jose {

using nlohmann::json;

JoseResult<json> parse_strict_json(std::string_view text, const std::string& what) {
    if (const auto problem = strict_json_problem(text))
        return JoseError{JoseErrc::malformed, what + " is " + *problem};
    json value = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) return JoseError{JoseErrc::malformed, what + " is not valid JSON"};
    return value;
}

}  // namespace rca::jose
