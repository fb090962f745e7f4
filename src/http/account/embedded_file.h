// A file embedded in the binary at build time by cmake/EmbedFiles.cmake:
// served from memory, never read from disk at run time.
#ifndef GATEHOUSE_HTTP_ACCOUNT_EMBEDDED_FILE_H_
#define GATEHOUSE_HTTP_ACCOUNT_EMBEDDED_FILE_H_

#include <span>
#include <string_view>

namespace gatehouse {

struct EmbeddedFile {
  std::string_view name;   // file name as listed in FILES, e.g. "app.js"
  std::string_view bytes;  // the file's exact content; static storage
};

// Returns the file called `name` in `files`, or null.
constexpr const EmbeddedFile* FindEmbeddedFile(
    std::span<const EmbeddedFile> files, std::string_view name) {
  for (const EmbeddedFile& file : files) {
    if (file.name == name) return &file;
  }
  return nullptr;
}

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_ACCOUNT_EMBEDDED_FILE_H_
