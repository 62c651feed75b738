#pragma once
// One device and a fake router: what the flow tests (pair, renew, run, address) all start from.
#include <botan/system_rng.h>

#include <string>
#include <vector>

#include "denrol/enrol_flow.hpp"
#include "support/fake_router.hpp"
#include "support/fakes.hpp"

namespace denrol_test {

/// A fake router with its PKI, a temporary device directory, a fake clock and a captured log.
struct DeviceWorld {
    Botan::System_RNG rng;
    TestPki pki{rng};
    FakeRouter router{pki, rng};
    TempDir tmp;
    FakeClock clock{std::chrono::system_clock::now()};
    std::vector<std::string> lines;
    denrol::Log log = [this](const std::string& line) { lines.push_back(line); };

    /// The device's enrolment directory.
    std::string out() const { return tmp.file("device"); }
    /// Options for pairing with the fake router into out().
    denrol::PairOptions pair_options(const std::string& hint = "") const {
        denrol::PairOptions o;
        o.router = router.url();
        o.out_dir = out();
        o.name_hint = hint;
        return o;
    }
    /// True when some log line contains text.
    bool logged(const std::string& text) const {
        for (const auto& l : lines)
            if (l.find(text) != std::string::npos) return true;
        return false;
    }
};

}  // namespace denrol_test
