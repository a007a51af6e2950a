#include "server/keys.h"

#include <fstream>
#include <random>
#include <sstream>

#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"
#include "server/server.h"

namespace exportctl::server {

namespace fs = std::filesystem;

KeyStore KeyStore::load(const fs::path& file) {
  KeyStore store;
  std::ifstream in(file);
  if (!in) return store;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    const auto comma = line.rfind(',');
    if (comma == std::string::npos || line.size() - comma - 1 != 64)
      throw InputError(location(file.string(), n), "expected NAME,SHA256 (64 hex digits)");
    store.by_hash_[line.substr(comma + 1)] = line.substr(0, comma);
  }
  return store;
}

std::optional<std::string> KeyStore::find(const std::string& token) const {
  if (token.empty()) return std::nullopt;
  const auto it = by_hash_.find(sha256_hex(token));
  if (it == by_hash_.end()) return std::nullopt;
  return it->second;
}

std::string add_key(const fs::path& keys_file, const std::string& name) {
  if (name.empty() || name.find_first_of(",\n\r") != std::string::npos)
    throw InputError("NAME", "a key name must be non-empty and contain no comma or newline");
  std::string existing;
  if (fs::exists(keys_file)) existing = read_whole_file(keys_file);
  std::istringstream lines(existing);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(name + ",", 0) == 0) throw InputError("NAME", "a key named '" + name + "' exists already");
  std::random_device rd;  // the kernel's CSPRNG on Linux
  std::string token = "exk_";
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 32; ++i) {
    const unsigned byte = rd() & 0xFFu;
    token += kHex[byte >> 4];
    token += kHex[byte & 15];
  }
  if (keys_file.has_parent_path()) fs::create_directories(keys_file.parent_path());
  write_file_atomically(keys_file, existing + name + "," + sha256_hex(token) + "\n");
  fs::permissions(keys_file, fs::perms::owner_read | fs::perms::owner_write);
  return token;
}

}  // namespace exportctl::server
