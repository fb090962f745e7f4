// What every fuzz target shares: a check that stops the run on a broken
// invariant (libFuzzer then saves the input, as for a crash), and a view
// of the input as text.
#ifndef GATEHOUSE_TESTS_FUZZ_FUZZ_CHECK_H_
#define GATEHOUSE_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

// Aborts with `what` when `condition` is false. Not assert(): it must
// hold in every build type, and NDEBUG would turn assert() off.
#define FUZZ_CHECK(condition, what)                                        \
  do {                                                                     \
    if (!(condition)) {                                                    \
      std::fprintf(stderr, "%s:%d: invariant broken: %s (%s)\n", __FILE__, \
                   __LINE__, #condition, what);                            \
      std::abort();                                                        \
    }                                                                      \
  } while (0)

namespace gatehouse::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// `text` cut at every '\n' (the last piece may be empty): how targets that
// take several values (headers, a peer address) read one input.
inline std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (true) {
    size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) return lines;
    text.remove_prefix(end + 1);
  }
}

}  // namespace gatehouse::fuzz

#endif  // GATEHOUSE_TESTS_FUZZ_FUZZ_CHECK_H_
