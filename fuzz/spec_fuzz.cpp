// Fuzzes the item spec parser (JSON and YAML) and classifies what parses.
#include <cstddef>
#include <cstdint>
#include <string>
#include <nlohmann/json.hpp>
#include <string_view>

#include "classify/classify.h"
#include "core/error.h"

namespace {
const exportctl::rules::RuleSet& bundled_rules() {
  static const auto set = exportctl::rules::RuleSet::load(std::string(EXPORTCTL_SOURCE_ROOT) + "/rules");
  return set;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace exportctl;
  if (size == 0) return 0;
  const bool yaml = data[0] & 1;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  static const classify::Classifier classifier(bundled_rules());
  try {
    const auto spec = classify::parse_spec(text, "fuzz", yaml, bundled_rules().metrics());
    const auto c = classifier.classify(spec, *Date::parse("2025-01-01"), true);
    (void)classify::to_json(c).dump();
    (void)classify::why(c);
  } catch (const InputError&) {
  }
  return 0;
}
