#pragma once
// The per-user folder of versioned list snapshots, and downloads (I/O edge).

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "screen/lists.h"

namespace exportctl::screen {

// Per-user folder of versioned snapshots: DIR/lists/<version>/ holds copies of
// the imported files and manifest.json; DIR/lists/CURRENT names the one in use
// and is replaced atomically (write + rename) only after the new snapshot
// parsed completely, so a bad file never replaces a good snapshot.
class SnapshotStore {
 public:
  explicit SnapshotStore(std::filesystem::path data_dir);
  static std::filesystem::path default_dir();  // $XDG_DATA_HOME/exportctl or ~/.local/share/exportctl

  const std::filesystem::path& dir() const { return dir_; }
  std::optional<std::string> current() const;
  std::vector<std::string> versions() const;
  // Imports files into a new snapshot and makes it current; returns it.
  ListSnapshot import_files(const std::vector<std::filesystem::path>& files);
  // Same for downloaded bytes; `expected_sha256` (hex) is checked when given.
  ListSnapshot import_bytes(const std::string& content, const std::string& file_name,
                            const std::string& expected_sha256 = "");
  // A stored version, or a list file / folder of list files.
  ListSnapshot load(const std::string& version_or_path) const;
  // The current snapshot, or the bundled lists when there is none.
  std::shared_ptr<const ListSnapshot> current_or_bundled() const;

 private:
  ListSnapshot commit(const std::filesystem::path& staging);
  std::filesystem::path dir_;
};

// Downloads `url` with cpp-httplib; throws InputError on failure. I/O edge.
std::string http_get(const std::string& url);
inline constexpr const char* kDefaultCslUrl =
    "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv";

}  // namespace exportctl::screen
