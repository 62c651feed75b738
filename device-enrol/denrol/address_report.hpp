#pragma once
// When `run` tells the router about a new LAN address, and what it does when the router says no.
// Pure: the addresses come from an AddressProbe and state.json, the errors from RouterClient.
#include <optional>
#include <string>

#include "denrol/errors.hpp"

namespace denrol {

/// What `run` knows between two address checks.
struct AddressMemory {
    std::string reported;  ///< the address the router last accepted (state.json); "" if none
    std::string refused;   ///< an address the router refused for good; not offered again
};

/// The address to report now: the detected one, when there is one and it is neither the one
/// the router has nor one it refused. nullopt otherwise.
std::optional<std::string> address_to_report(const std::optional<std::string>& detected,
                                             const AddressMemory& memory);

/// What to do after a failed address update.
enum class UpdateFailure {
    retry_later,   ///< the router was unreachable or answered nonsense: try at the next check
    skip_address,  ///< refused for this address (outside the LAN subnets, an older router)
    stop,          ///< the certificate is revoked or superseded, or the directory is broken
};

/// Classifies a failed update; 401 and 403 mean the router no longer accepts the certificate
/// (pair again), as for renewals.
UpdateFailure classify_update_failure(const Error& error);

}  // namespace denrol
