#pragma once
// The entry point of every fuzz target (tests/fuzz/README.md): it copies the input into a heap
// allocation of exactly the input's size and hands that copy to the target's test_one_input, so
// AddressSanitizer reports any read past the input's last octet as a heap-buffer-overflow,
// whichever driver calls the target. libFuzzer 14 happens to pass such a copy already
// (Fuzzer::ExecuteCallback), but the interface does not promise it: a driver for AFL's persistent
// mode commonly passes its shared test-case buffer, sized for the largest input, and a replay
// main may read a file into a larger vector. A target must not rest the one property that makes
// an over-read visible on its driver.
//
// Include this header from the target's one source file and define rca::fuzz::test_one_input
// there; the target must not define LLVMFuzzerTestOneInput itself (the linker refuses two).
// Where the code under test takes a std::string, the target builds one from the copy: that
// string's own buffer then holds one octet more (its terminator, which std::string lets a
// reader see), so only what takes a pointer, a std::string_view or a std::vector is held to the
// input's exact end.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace rca::fuzz {

/// The target's check of one input: data holds exactly size octets on the heap. Returns 0.
int test_one_input(const uint8_t* data, size_t size);

/// The input as text, over the same exactly-sized copy.
inline std::string_view as_text(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace rca::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // new[] of 0 octets is a distinct allocation that ASan treats as holding nothing, so even
    // the empty input has an end to read past.
    const std::unique_ptr<uint8_t[]> exact(new uint8_t[size]);
    if (size > 0) std::memcpy(exact.get(), data, size);
    return rca::fuzz::test_one_input(exact.get(), size);
}
