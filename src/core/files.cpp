#include "core/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <signal.h>

#include <cerrno>
#include <cstdlib>
#include <random>

#include "core/error.h"

namespace exportctl {

namespace fs = std::filesystem;

namespace {

fs::path temporary_sibling(const fs::path& target) {
  std::random_device rd;
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  return dir / ("." + target.filename().string() + ".tmp." + std::to_string(::getpid()) + "." +
                std::to_string(rd()));
}

}  // namespace

bool sync_path(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

AtomicFile::AtomicFile(fs::path target) : target_(std::move(target)), temp_(temporary_sibling(target_)) {
  out_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!out_) throw InputError(target_.string(), "cannot write the output file");
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  out_.close();
  std::error_code ec;
  fs::remove(temp_, ec);
}

void AtomicFile::commit() {
  out_.flush();
  out_.close();
  if (!out_) throw InputError(target_.string(), "write failed");
  if (!sync_path(temp_)) throw InputError(target_.string(), "cannot flush the output file to disk");
  std::error_code ec;
  fs::rename(temp_, target_, ec);
  if (ec) throw InputError(target_.string(), "cannot replace the file: " + ec.message());
  committed_ = true;
  // The rename itself is durable once the folder is synced.
  sync_path(target_.has_parent_path() ? target_.parent_path() : fs::path("."));
}

namespace {

// ".NAME.partial.PID": the temporary folder of a run for NAME.
std::string partial_prefix(const fs::path& target) {
  return "." + target.filename().string() + ".partial.";
}

// Removes temporary folders of earlier runs for `target` whose process is gone.
void remove_stale_partials(const fs::path& target) {
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string prefix = partial_prefix(target);
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string rest = name.substr(prefix.size());
    const long pid = std::strtol(rest.c_str(), nullptr, 10);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      std::error_code ignored;
      fs::remove_all(it->path(), ignored);
    }
  }
}

}  // namespace

AtomicDir::AtomicDir(fs::path target) : target_(std::move(target)) {
  if (target_.filename().empty()) target_ = target_.parent_path();  // "out/" -> "out"
  remove_stale_partials(target_);
  std::random_device rd;
  const fs::path dir = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
  temp_ = dir / (partial_prefix(target_) + std::to_string(::getpid()) + "." + std::to_string(rd()));
  std::error_code ec;
  if (!fs::create_directories(temp_, ec) || ec)
    throw InputError(target_.string(), "cannot create the output folder" + (ec ? ": " + ec.message() : ""));
}

AtomicDir::~AtomicDir() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(temp_, ec);
}

void AtomicDir::commit() {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(temp_, ec))
    if (entry.is_regular_file() && !sync_path(entry.path()))
      throw InputError(target_.string(), "cannot flush " + entry.path().filename().string() + " to disk");
  if (ec || !sync_path(temp_)) throw InputError(target_.string(), "cannot flush the output folder to disk");
  fs::path old;
  if (fs::exists(target_, ec)) {
    if (!fs::is_directory(target_, ec))
      throw InputError(target_.string(), "exists and is not a folder; not replaced");
    old = temp_;
    old += ".old";
    fs::rename(target_, old, ec);
    if (ec) throw InputError(target_.string(), "cannot move the previous output aside: " + ec.message());
  }
  fs::rename(temp_, target_, ec);
  if (ec) {
    if (!old.empty()) fs::rename(old, target_, ec);
    throw InputError(target_.string(), "cannot put the output folder in place: " + ec.message());
  }
  committed_ = true;
  sync_path(target_.has_parent_path() ? target_.parent_path() : fs::path("."));
  if (!old.empty()) fs::remove_all(old, ec);
}

void write_file_atomically(const fs::path& target, std::string_view content) {
  AtomicFile file(target);
  file.stream().write(content.data(), static_cast<std::streamsize>(content.size()));
  file.commit();
}

std::string read_whole_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "cannot read the file");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace exportctl
