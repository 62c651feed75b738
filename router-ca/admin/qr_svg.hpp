#pragma once
// A QR code as an SVG image, drawn server-side with libqrencode (in Debian and OpenWrt's feed),
// so the UI needs no JavaScript QR library. Pure.
#include <string>

namespace rca::admin {

/// An SVG QR code (error correction level M, 4-module quiet zone per ISO/IEC 18004) encoding
/// `text`; throws std::runtime_error when libqrencode cannot encode it (e.g. too long).
std::string qr_svg(const std::string& text);

}  // namespace rca::admin
