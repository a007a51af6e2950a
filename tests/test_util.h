#pragma once
// Helpers shared by the test suites: temporary folders and running the CLI.

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <sys/wait.h>

namespace exportctl::testing {

// A folder removed when the object goes out of scope.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("exportctl-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, const std::string& content) const {
    const auto p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  std::filesystem::path path_;
};

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct RunResult {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs `command` through the shell, capturing stdout and stderr separately.
inline RunResult run(const std::string& command) {
  TempDir tmp;
  const auto out_path = tmp.path() / "out";
  const auto err_path = tmp.path() / "err";
  const std::string full = command + " >" + out_path.string() + " 2>" + err_path.string();
  const int raw = std::system(full.c_str());
  RunResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  return r;
}

inline std::string source_root() {
  return EXPORTCTL_SOURCE_ROOT;
}
inline std::string rules_dir() {
  return source_root() + "/rules";
}
inline std::string data_dir() {
  return source_root() + "/data";
}

}  // namespace exportctl::testing
