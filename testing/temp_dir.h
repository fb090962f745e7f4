// TempDir: a fresh temporary directory, removed with its contents.
#ifndef GATEHOUSE_TESTING_TEMP_DIR_H_
#define GATEHOUSE_TESTING_TEMP_DIR_H_

#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>

namespace gatehouse::testkit {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("gatehouse-test-" + std::to_string(::getpid()) + "-" +
             std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace gatehouse::testkit

#endif  // GATEHOUSE_TESTING_TEMP_DIR_H_
