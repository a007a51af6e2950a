#pragma once
// Small fixtures shared by the screening library tests: the bundled
// normaliser, synthetic entries and snapshots built from them.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "screen/normalize.h"
#include "screen/screen.h"

namespace exportctl::screen::fixtures {

inline std::string fixture(const std::string& name) {
  return std::string(EXPORTCTL_TEST_DATA) + "/screen/" + name;
}

inline const Normalizer& norm() {
  static auto n = bundled_normalizer();
  return *n;
}

inline std::vector<std::string> keys(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& t : norm().normalize(text).tokens) out.push_back(t.key);
  return out;
}

inline std::shared_ptr<const ListSnapshot> snapshot_of(std::vector<Entry> entries) {
  auto s = std::make_shared<ListSnapshot>();
  s->version = "test";
  s->entries = std::move(entries);
  link_entries(s->entries, norm());
  return s;
}

inline Entry entry(std::string code, std::string id, std::string name, std::vector<std::string> alt = {}) {
  Entry e;
  e.source_code = std::move(code);
  e.source = e.source_code + " list";
  e.id = std::move(id);
  e.name = std::move(name);
  e.alt_names = std::move(alt);
  return e;
}

}  // namespace exportctl::screen::fixtures
