// The DNS-01 TXT value (RFC 8555 §8.1, §8.4). The expected digest was computed independently:
//   python3 -c 'import hashlib,base64; print(base64.urlsafe_b64encode(hashlib.sha256(
//     b"evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
//   ).digest()).rstrip(b"="))'
// with RFC 8555 §8.4's token and RFC 7638 §3.1's example thumbprint.
#include <catch2/catch.hpp>

#include "hq/core/key_authorization.hpp"

using namespace hq;

TEST_CASE("the key authorization joins token and thumbprint with a dot") {
    CHECK(key_authorization("tok", "thumb") == "tok.thumb");
}

TEST_CASE("the TXT value is base64url(SHA-256(key authorization)) without padding") {
    const std::string token = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
    const std::string thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
    CHECK(dns01_txt_value(token, thumbprint) == "ZTRx1Ckl1-tM05o5zaizTTA0yUy5AGereMgSNWC6Ll8");
}

TEST_CASE("the TXT record lives at _acme-challenge.<name>") {
    CHECK(dns01_owner("cam.nifty-babbage.vendor.example") ==
          "_acme-challenge.cam.nifty-babbage.vendor.example");
}
