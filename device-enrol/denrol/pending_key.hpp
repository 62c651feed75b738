#pragma once
// The key of a request the device sends (a renewal, a public certificate order): kept in the
// enrolment directory (0600) before its CSR leaves, and reused until the install that answers the
// request removes it. An answer lost to a power cut or a killed process is then fetched again for
// the same key, instead of costing a second certificate the device could not use.
#include <memory>

#include <botan/pk_keys.h>
#include <botan/rng.h>

#include "denrol/enrolment_dir.hpp"
#include "denrol/errors.hpp"
#include "denrol/key_maker.hpp"

namespace denrol {

/// The key kept in DIR/`name` when there is one that parses, else a new key of `type`, kept
/// there before it is returned.
Result<std::shared_ptr<Botan::Private_Key>> pending_key(const EnrolmentDir& dir, const char* name,
                                                        KeyType type,
                                                        Botan::RandomNumberGenerator& rng);

}  // namespace denrol
