// The account page's files (index.html, app.js, style.css in this
// directory), embedded at build time by gatehouse_embed_files in
// src/http/CMakeLists.txt. Served by http/handlers/account_handlers.h.
#ifndef GATEHOUSE_HTTP_ACCOUNT_ACCOUNT_ASSETS_H_
#define GATEHOUSE_HTTP_ACCOUNT_ACCOUNT_ASSETS_H_

#include <span>

#include "http/account/embedded_file.h"

namespace gatehouse {

// Every file of the page, in the order listed in the build. Static
// storage; thread-safe.
std::span<const EmbeddedFile> AccountAssets();

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_ACCOUNT_ACCOUNT_ASSETS_H_
