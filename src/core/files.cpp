#include "core/files.h"

#include <fcntl.h>
#include <unistd.h>

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
