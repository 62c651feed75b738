#include "denrol/key_maker.hpp"

#include <botan/data_src.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/pkcs8.h>
#include <botan/rsa.h>

namespace denrol {

std::optional<KeyType> parse_key_type(const std::string& text) {
    if (text == "p256") return KeyType::p256;
    if (text == "ed25519") return KeyType::ed25519;
    if (text == "rsa2048") return KeyType::rsa2048;
    return std::nullopt;
}

const char* key_type_name(KeyType type) {
    switch (type) {
        case KeyType::p256:
            return "p256";
        case KeyType::ed25519:
            return "ed25519";
        case KeyType::rsa2048:
            return "rsa2048";
    }
    return "?";
}

std::unique_ptr<Botan::Private_Key> make_key(KeyType type, Botan::RandomNumberGenerator& rng) {
    switch (type) {
        case KeyType::p256:
            return std::make_unique<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("secp256r1"));
        case KeyType::ed25519:
            return std::make_unique<Botan::Ed25519_PrivateKey>(rng);
        case KeyType::rsa2048:
            return std::make_unique<Botan::RSA_PrivateKey>(rng, 2048);
    }
    throw std::logic_error("make_key: unknown key type");
}

std::string private_key_pem(const Botan::Private_Key& key) { return Botan::PKCS8::PEM_encode(key); }

Result<std::shared_ptr<Botan::Private_Key>> load_private_key(const std::string& pem) {
    try {
        Botan::DataSource_Memory src(pem);
        return std::shared_ptr<Botan::Private_Key>(Botan::PKCS8::load_key(src));
    } catch (const std::exception& e) {
        return fail(Errc::local, std::string("cannot load the private key: ") + e.what());
    }
}

}  // namespace denrol
