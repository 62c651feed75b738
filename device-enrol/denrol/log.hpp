#pragma once
// Progress reporting as a parameter: the library never writes to stdout or stderr itself.
#include <functional>
#include <string>

namespace denrol {

/// Receives one progress line at a time (the CLI prints them).
using Log = std::function<void(const std::string&)>;

}  // namespace denrol
