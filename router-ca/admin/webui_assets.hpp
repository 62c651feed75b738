#pragma once
// The web UI's static files, embedded at build time from webui/ (embed_webui.cmake).
#include <string_view>
#include <vector>

namespace rca::admin {

/// One static file of the UI.
struct WebAsset {
    const char* path;          ///< URL path, e.g. "/index.html"
    const char* content_type;  ///< Content-Type to serve it with
    std::string_view body;
};

/// Every file under webui/, by path.
const std::vector<WebAsset>& webui_assets();

/// Their total size in bytes (the build refuses more than the 150 KB budget).
size_t webui_total_bytes();

}  // namespace rca::admin
