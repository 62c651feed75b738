#include "denrol/device_identity.hpp"

#include "denrol/root_pinning.hpp"

namespace denrol {

Result<DeviceIdentity> load_identity(const EnrolmentDir& dir, const DeviceState& state) {
    const auto router = parse_router_url(state.router_url);
    if (!router)
        return fail(Errc::local, "state.json names a bad router URL: " + router.error().detail);
    auto key_pem = dir.read(EnrolmentDir::kKey);
    if (!key_pem) return key_pem.error();
    auto chain_pem = dir.read(EnrolmentDir::kChain);
    if (!chain_pem) return chain_pem.error();
    auto root_pem = dir.read(EnrolmentDir::kRoot);
    if (!root_pem) return root_pem.error();
    auto root = parse_pem_certificate(root_pem.value(), dir.file(EnrolmentDir::kRoot));
    if (!root) return fail(Errc::local, root.error().detail);
    // The pinned root is what every later connection trusts; a root.pem that no longer matches
    // state.json means someone edited the directory.
    if (certificate_fingerprint(root.value()) != state.root_sha256)
        return fail(Errc::local, dir.file(EnrolmentDir::kRoot) +
                                     " does not match the root fingerprint in state.json");
    return DeviceIdentity{router.value(), std::move(root_pem.value()), std::move(root.value()),
                          ClientIdentity{std::move(chain_pem.value()), std::move(key_pem.value())}};
}

}  // namespace denrol
