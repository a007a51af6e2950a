// Fuzzes the rule-file parser, as a rules-folder file and as a what-if
// scenario file: any bytes must give a RuleVersion or an InputError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "rules/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const bool scenario : {false, true}) {
    try {
      const auto v = exportctl::rules::RuleSet::parse_version(text, "fuzz.yaml", scenario);
      for (const auto& [name, provisions] : v.sections)
        for (const auto& p : provisions) (void)p.when.variables();
    } catch (const exportctl::InputError&) {
    }
  }
  return 0;
}
