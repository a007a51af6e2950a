#pragma once
// Files that are either wholly written or not there at all: output goes to a
// temporary sibling of the target, which replaces the target by rename only
// when complete and flushed to disk. Every output file of the tool (batch
// decisions, screening results, snapshot manifests, impact reports) is
// written through this, so an error or a kill never leaves half a file.

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace exportctl {

class AtomicFile {
 public:
  // Opens a temporary file beside `target`; throws InputError(target, ...)
  // when it cannot be created.
  explicit AtomicFile(std::filesystem::path target);
  // Removes the temporary file unless commit() succeeded.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  // Flushes, syncs and renames the temporary file onto the target; throws
  // InputError when any step fails (the target is then unchanged).
  void commit();
  const std::filesystem::path& target() const { return target_; }

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  std::ofstream out_;
  bool committed_ = false;
};

// A folder of outputs that appears whole or not at all: files are written
// into a temporary sibling folder, which is synced and renamed onto `target`
// by commit(). A target folder that already exists is replaced (moved aside,
// then removed once the new one is in place). Temporary folders left by a
// killed run are removed by the next run for the same target.
class AtomicDir {
 public:
  explicit AtomicDir(std::filesystem::path target);
  ~AtomicDir();  // removes the temporary folder unless committed
  AtomicDir(const AtomicDir&) = delete;
  AtomicDir& operator=(const AtomicDir&) = delete;

  // Where to write: the temporary folder.
  const std::filesystem::path& path() const { return temp_; }
  // Syncs every file and the folder, then renames it onto the target.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  bool committed_ = false;
};

// Replaces `target` with `content` atomically (AtomicFile in one call).
void write_file_atomically(const std::filesystem::path& target, std::string_view content);

// The whole content of a file; throws InputError(path, "cannot read ...").
std::string read_whole_file(const std::filesystem::path& path);

// Flushes a file or folder to disk (fsync); false when it fails.
bool sync_path(const std::filesystem::path& path);

}  // namespace exportctl
