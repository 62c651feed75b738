#include "denrol/pending_key.hpp"

namespace denrol {

Result<std::shared_ptr<Botan::Private_Key>> pending_key(const EnrolmentDir& dir, const char* name,
                                                        KeyType type,
                                                        Botan::RandomNumberGenerator& rng) {
    // Written atomically, so it parses; if someone broke it anyway, a new key is as good.
    if (dir.has(name))
        if (auto pem = dir.read(name))
            if (auto kept = load_private_key(pem.value())) return kept;
    std::shared_ptr<Botan::Private_Key> key = make_key(type, rng);
    if (auto kept = dir.keep_pending(name, private_key_pem(*key)); !kept) return kept.error();
    return key;
}

}  // namespace denrol
