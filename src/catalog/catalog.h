#pragma once
// The bundled chip catalog: datasheet figures of real accelerators with their
// sources, turned into ItemSpecs for classification. Immutable after load.

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "classify/classify.h"

namespace exportctl::catalog {

struct Chip {
  std::string id;
  classify::ItemSpec spec;
  std::string market;
  std::vector<std::string> sources;                         // URLs and notes from the `sources` cell
  std::vector<std::pair<std::string, std::string>> fields;  // every CSV column, in order
  // Figures the loader derived rather than read, with how (evidence D).
  std::vector<std::pair<std::string, std::string>> derived;

  std::string field(std::string_view name) const;
};

class Catalog {
 public:
  // Reads accelerators.csv and vendors.csv from `dir`. Throws InputError
  // naming the file, line and column of any malformed figure.
  static Catalog load(const std::filesystem::path& dir, const rules::MetricDefinitions& metrics);

  const std::vector<Chip>& chips() const { return chips_; }
  const Chip* find(std::string_view id) const;
  // Ids close to `id`, for "did you mean" messages.
  std::vector<std::string> suggestions(std::string_view id) const;

 private:
  std::vector<Chip> chips_;
};

std::filesystem::path default_catalog_dir();

}  // namespace exportctl::catalog
