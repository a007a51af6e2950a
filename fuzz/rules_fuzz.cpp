// Fuzzes the rule-file parser: any bytes must give a RuleVersion or an InputError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "rules/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto v = exportctl::rules::RuleSet::parse_version(text, "fuzz.yaml");
    for (const auto& [name, provisions] : v.sections)
      for (const auto& p : provisions) (void)p.when.variables();
  } catch (const exportctl::InputError&) {
  }
  return 0;
}
