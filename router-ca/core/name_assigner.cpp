#include "core/name_assigner.hpp"

#include <iterator>

#include "common/ascii_lower.hpp"

namespace rca {
namespace {

// Friendly, unambiguous words in the style of Docker's container names: easy to read aloud and
// to type on a phone.
const char* const kAdjectives[] = {
    "amazing", "bold",    "brave",  "bright", "calm",     "clever", "cool",    "eager",
    "elegant", "fervent", "gentle", "happy",  "jolly",    "keen",   "kind",    "lucid",
    "merry",   "modest",  "nifty",  "noble",  "peaceful", "quick",  "quiet",   "sharp",
    "shiny",   "steady",  "sunny",  "swift",  "tender",   "trusty", "vibrant", "wise"};
const char* const kSurnames[] = {
    "babbage", "bohr",    "curie",    "darwin",   "dijkstra", "einstein", "euler",   "faraday",
    "fermi",   "feynman", "gauss",    "hamilton", "hopper",   "hypatia",  "johnson", "kepler",
    "knuth",   "lamarr",  "lovelace", "maxwell",  "meitner",  "newton",   "noether", "pascal",
    "planck",  "ritchie", "sagan",    "shannon",  "tesla",    "thompson", "turing",  "wozniak"};

size_t pick(Botan::RandomNumberGenerator& rng, size_t n) {
    uint8_t b[2];
    rng.randomize(b, sizeof b);
    return ((size_t{b[0]} << 8) | b[1]) % n;
}

// base-N with the base shortened so that the whole stays one valid label.
std::string numbered(const std::string& base, int n) {
    const std::string suffix = "-" + std::to_string(n);
    std::string head = base.substr(0, kMaxLabel - suffix.size());
    while (!head.empty() && head.back() == '-') head.pop_back();
    return head + suffix;
}

std::string first_free(const std::string& base, const NameTaken& taken) {
    if (!taken(base)) return base;
    for (int n = 2;; ++n) {
        std::string candidate = numbered(base, n);
        if (!taken(candidate)) return candidate;
    }
}

}  // namespace

std::string sanitize_label(const std::string& hint) {
    std::string out;
    for (char raw : hint) {
        const char c = (raw >= 'A' && raw <= 'Z') ? static_cast<char>(raw - 'A' + 'a') : raw;
        const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (keep)
            out.push_back(c);
        else if (!out.empty() && out.back() != '-')
            out.push_back('-');
        if (out.size() >= kMaxLabel) break;
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

bool is_reserved_label(const std::string& label) {
    for (const char* reserved : {"wpad", "isatap", "localhost", kRouterName})
        if (ascii_lower(label) == reserved) return true;
    return !label.empty() && label.front() == '_';
}

std::string assign_name(const std::string& hint, const NameTaken& held,
                        Botan::RandomNumberGenerator& rng) {
    const NameTaken taken = [&held](const std::string& n) {
        return is_reserved_label(n) || held(n);
    };
    const std::string label = sanitize_label(hint);
    if (!label.empty()) return first_free(label, taken);
    // 32 x 32 = 1024 pairs; a few draws almost always find a free one in a home network.
    std::string generated;
    for (int attempt = 0; attempt < 8; ++attempt) {
        generated = std::string(kAdjectives[pick(rng, std::size(kAdjectives))]) + "-" +
                    kSurnames[pick(rng, std::size(kSurnames))];
        if (!taken(generated)) return generated;
    }
    return first_free(generated, taken);
}

}  // namespace rca
