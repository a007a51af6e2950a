#pragma once
// Internal to the server: API keys stored hashed, one "name,sha256" line each.

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace exportctl::server {

class KeyStore {
 public:
  // Reads the file (a missing file is an empty store); InputError on a bad line.
  static KeyStore load(const std::filesystem::path& file);
  // The key's name for a bearer token, if any.
  std::optional<std::string> find(const std::string& token) const;
  std::size_t size() const { return by_hash_.size(); }

 private:
  std::map<std::string, std::string> by_hash_;  // sha256 hex -> name
};

}  // namespace exportctl::server
