// Fuzzes the server's request parsing: JSON bodies into classify, check,
// screen and impact requests (and, when they parse, the decision itself). Bad
// input must be an InputError, never a crash or another exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "core/json.h"
#include "engine/engine.h"
#include "impact/impact.h"

namespace {
const std::shared_ptr<const exportctl::engine::Snapshot>& snapshot() {
  static const auto s = [] {
    exportctl::engine::Config c;
    c.rules_dir = std::string(EXPORTCTL_SOURCE_ROOT) + "/rules";
    c.catalog_dir = std::string(EXPORTCTL_SOURCE_ROOT) + "/data/chips";
    // Built when an impact request's order book names an end user (as a server's snapshot would have it).
    c.screening = exportctl::engine::Config::Screening::OnFirstUse;
    c.data_dir = "/nonexistent-exportctl-fuzz";  // bundled lists only
    return exportctl::engine::Snapshot::load(c);
  }();
  return s;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace exportctl;
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    const nlohmann::json body = parse_json(text, "body");
    // Parsed text is valid UTF-8: dump_json's own compact writer must then
    // agree with nlohmann's byte for byte (audit hashes are over it).
    if (dump_json(body) != body.dump()) __builtin_trap();
    switch (data[0] % 4) {
      case 0: {
        const auto r = engine::classify_request(*snapshot(), body);
        if (!r.timeline) (void)dump_json(engine::classify(snapshot(), r).json);
        break;
      }
      case 1: {
        const auto r = engine::check_request(*snapshot(), body);
        if (r.parties.empty() && r.owners.empty() && !r.timeline)
          (void)dump_json(engine::check(snapshot(), r).json);
        break;
      }
      case 2:
        (void)engine::to_json(engine::screen_request(body));
        break;
      default:
        (void)dump_json(impact::analyse_request(snapshot(), body));
    }
  } catch (const InputError&) {
  }
  return 0;
}
