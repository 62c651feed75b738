#pragma once
// Deterministic stand-ins for the clock and the random source (house style #2).
#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <botan/rng.h>

#include "denrol/address_probe.hpp"
#include "denrol/clock.hpp"

namespace denrol_test {

/// A clock that jumps instead of sleeping, and refuses (as if stopped) after `sleeps_allowed`.
class FakeClock final : public denrol::Clock {
  public:
    explicit FakeClock(denrol::TimePoint start, int sleeps_allowed = 1000000)
        : now_(start), sleeps_left_(sleeps_allowed) {}
    denrol::TimePoint now() const override { return now_; }
    bool sleep_until(denrol::TimePoint when) override {
        if (sleeps_left_-- <= 0) return false;
        ++sleeps;
        if (when > now_) now_ = when;
        return true;
    }
    /// Moves the clock by hand.
    void advance(std::chrono::seconds d) { now_ += d; }
    int sleeps = 0;  ///< completed sleeps

  private:
    denrol::TimePoint now_;
    int sleeps_left_;
};

/// An address probe that gives scripted answers, one per call (the last one repeats).
class ScriptedProbe final : public denrol::AddressProbe {
  public:
    explicit ScriptedProbe(std::vector<std::optional<std::string>> answers)
        : answers_(std::move(answers)) {}
    std::optional<std::string> source_towards(const denrol::Endpoint&) const override {
        const size_t i = std::min(calls, answers_.size() - 1);
        ++calls;
        return answers_[i];
    }
    mutable size_t calls = 0;  ///< how often the address was looked up

  private:
    std::vector<std::optional<std::string>> answers_;
};

/// An RNG that returns one byte value over and over: the extreme draws of a real RNG.
class ConstantRng final : public Botan::RandomNumberGenerator {
  public:
    explicit ConstantRng(uint8_t byte) : byte_(byte) {}
    void randomize(uint8_t out[], size_t len) override { std::memset(out, byte_, len); }
    bool accepts_input() const override { return false; }
    void add_entropy(const uint8_t[], size_t) override {}
    std::string name() const override { return "constant"; }
    void clear() override {}
    bool is_seeded() const override { return true; }

  private:
    uint8_t byte_;
};

}  // namespace denrol_test
