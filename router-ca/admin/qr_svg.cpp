#include "admin/qr_svg.hpp"

#include <qrencode.h>

#include <memory>
#include <stdexcept>

namespace rca::admin {
namespace {

constexpr int kQuietZone = 4;

struct QrFree {
    void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

std::string qr_svg(const std::string& text) {
    // Version 0 lets libqrencode pick the smallest symbol; case-sensitive 8-bit mode keeps the
    // URL exactly as given.
    const std::unique_ptr<QRcode, QrFree> code(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!code) throw std::runtime_error("libqrencode cannot encode " + text);
    const int width = code->width;
    const int size = width + 2 * kQuietZone;
    std::string path;
    for (int y = 0; y < width; ++y)
        for (int x = 0; x < width; ++x)
            if (code->data[y * width + x] & 1)  // bit 0: the module is dark
                path += "M" + std::to_string(x + kQuietZone) + " " +
                        std::to_string(y + kQuietZone) + "h1v1h-1z";
    const std::string s = std::to_string(size);
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + s + " " + s +
           "\" width=\"" + std::to_string(size * 6) + "\" height=\"" + std::to_string(size * 6) +
           "\" shape-rendering=\"crispEdges\"><rect width=\"" + s + "\" height=\"" + s +
           "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>\n";
}

}  // namespace rca::admin
