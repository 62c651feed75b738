#include "denrol/renewal_schedule.hpp"

#include <catch2/catch.hpp>

#include <limits>

#include <botan/chacha_rng.h>
#include <botan/system_rng.h>

#include "support/fakes.hpp"

namespace {

using denrol::TimePoint;
using std::chrono::hours;
using std::chrono::seconds;

constexpr auto kDay = hours(24);
const TimePoint kStart = std::chrono::system_clock::from_time_t(1'700'000'000);
const denrol::Validity k90Days{kStart, kStart + 90 * kDay};

}  // namespace

TEST_CASE("is_due: the last third of the lifetime", "[renewal_schedule]") {
    struct Row {
        const char* what;
        TimePoint now;
        bool due;
    };
    const auto row = GENERATE(values<Row>({
        {"before not_before", kStart - kDay, false},
        {"at not_before", kStart, false},
        {"one second before two thirds", kStart + 60 * kDay - seconds(1), false},
        {"exactly two thirds", kStart + 60 * kDay, true},
        {"inside the window", kStart + 75 * kDay, true},
        {"at not_after", kStart + 90 * kDay, true},
        {"expired", kStart + 200 * kDay, true},
    }));
    INFO(row.what);
    CHECK(denrol::is_due(k90Days, row.now) == row.due);
}

TEST_CASE("window bounds are two thirds in and 1/20 before expiry", "[renewal_schedule]") {
    CHECK(denrol::renewal_window_start(k90Days) == kStart + 60 * kDay);
    CHECK(denrol::renewal_window_end(k90Days) == kStart + 90 * kDay - seconds(90 * 86400 / 20));
}

TEST_CASE("pick_renewal_moment stays inside the window for many draws", "[renewal_schedule]") {
    const auto start = denrol::renewal_window_start(k90Days);
    const auto end = denrol::renewal_window_end(k90Days);
    Botan::ChaCha_RNG rng(Botan::secure_vector<uint8_t>(32, 7));  // deterministic, reproducible
    const auto now = GENERATE_COPY(kStart - kDay, kStart, kStart + 30 * kDay, start + kDay);
    TimePoint lowest = end, highest = start;
    for (int i = 0; i < 5000; ++i) {
        const auto m = denrol::pick_renewal_moment(k90Days, now, rng);
        REQUIRE(m >= start);
        REQUIRE(m >= now);
        REQUIRE(m <= end);
        lowest = std::min(lowest, m);
        highest = std::max(highest, m);
    }
    // Spread over the window, not stuck at one end.
    const auto span = end - std::max(start, now);
    CHECK(lowest - std::max(start, now) < span / 10);
    CHECK(end - highest < span / 10);
}

TEST_CASE("pick_renewal_moment at the extremes of the RNG and of time", "[renewal_schedule]") {
    denrol_test::ConstantRng zeros(0x00);
    CHECK(denrol::pick_renewal_moment(k90Days, kStart, zeros) ==
          denrol::renewal_window_start(k90Days));
    // Past the window (an expired or nearly expired certificate): renew at once.
    const auto late = kStart + 89 * kDay;
    CHECK(denrol::pick_renewal_moment(k90Days, late, zeros) == late);
    Botan::System_RNG rng;
    CHECK(denrol::pick_renewal_moment(k90Days, kStart + 100 * kDay, rng) == kStart + 100 * kDay);
    // A zero-length validity is always due, at once.
    const denrol::Validity empty{kStart, kStart};
    CHECK(denrol::pick_renewal_moment(empty, kStart - kDay, rng) == kStart);
}

TEST_CASE("backoff ceiling grows from the base and stops at the cap", "[renewal_schedule]") {
    struct Row {
        unsigned attempt;
        long seconds;
    };
    const auto row = GENERATE(values<Row>(
        {{0, 30}, {1, 60}, {2, 120}, {3, 240}, {6, 1920}, {7, 3600}, {20, 3600}, {1000, 3600}}));
    CHECK(denrol::backoff_ceiling(row.attempt).count() == row.seconds);
}

TEST_CASE("backoff draws are bounded by the ceiling and never zero", "[renewal_schedule]") {
    Botan::ChaCha_RNG rng(Botan::secure_vector<uint8_t>(32, 9));
    for (unsigned attempt = 0; attempt < 12; ++attempt) {
        seconds highest{0};
        for (int i = 0; i < 2000; ++i) {
            const auto d = denrol::backoff(attempt, rng);
            REQUIRE(d >= seconds(1));
            REQUIRE(d <= denrol::backoff_ceiling(attempt));
            highest = std::max(highest, d);
        }
        // Full jitter uses the whole range, so the largest draw tracks the growing ceiling.
        CHECK(highest > denrol::backoff_ceiling(attempt) * 9 / 10);
    }
    denrol_test::ConstantRng zeros(0x00);
    CHECK(denrol::backoff(5, zeros) == seconds(1));
}

TEST_CASE("uniform_upto covers its whole range", "[renewal_schedule]") {
    Botan::ChaCha_RNG rng(Botan::secure_vector<uint8_t>(32, 1));
    int seen[5] = {};
    for (int i = 0; i < 1000; ++i) ++seen[denrol::uniform_upto(rng, 4)];
    for (const int n : seen) CHECK(n > 100);
    CHECK(denrol::uniform_upto(rng, 0) == 0);
}

TEST_CASE("stable_renewal_moment: the draw's fraction of the last third, to the second",
          "[renewal_schedule]") {
    const TimePoint start = denrol::renewal_window_start(k90Days);  // day 60
    const TimePoint end = denrol::renewal_window_end(k90Days);      // day 85.5
    struct Row {
        const char* what;
        std::uint64_t draw;
        TimePoint expected;
    };
    const auto span = std::chrono::duration_cast<seconds>(end - start);
    const auto row = GENERATE_COPY(values<Row>({
        {"draw 0: the window's start", 0, start},
        {"draw 2^63: the middle", std::uint64_t{1} << 63, start + span / 2},
        {"draw 3*2^62: three quarters", std::uint64_t{3} << 62, start + span * 3 / 4},
        // (2^64-1)*2/3: just under two thirds, so every partial product and carry counts.
        {"draw 0xaaaa...: a second before two thirds", 0xaaaaaaaaaaaaaaaaULL,
         start + span * 2 / 3 - seconds(1)},
        {"draw 2^64-1: the last second before the end", std::numeric_limits<std::uint64_t>::max(),
         end - seconds(1)},
    }));
    INFO(row.what);
    CHECK(denrol::stable_renewal_moment(k90Days, row.draw) == row.expected);
    // The same draw gives the same moment every time (across restarts nothing is stored).
    CHECK(denrol::stable_renewal_moment(k90Days, row.draw) ==
          denrol::stable_renewal_moment(k90Days, row.draw));
}

TEST_CASE("stable_renewal_moment: a zero-length lifetime cannot go outside it",
          "[renewal_schedule]") {
    const denrol::Validity none{kStart, kStart};
    CHECK(denrol::stable_renewal_moment(none, std::numeric_limits<std::uint64_t>::max()) == kStart);
}
