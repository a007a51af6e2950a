// Fuzzes impact analysis over an order book: any bytes give a summary (bad
// rows skipped and counted) or an InputError naming the file; with --strict
// semantics the first bad row is an InputError. One changes row per order.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "core/error.h"
#include "engine/engine.h"
#include "impact/impact.h"

namespace {

std::shared_ptr<const exportctl::engine::Snapshot> snapshot() {
  static const auto s = [] {
    exportctl::engine::Config c;
    c.rules_dir = EXPORTCTL_SOURCE_ROOT "/rules";
    c.catalog_dir = EXPORTCTL_SOURCE_ROOT "/data/chips";
    c.data_dir = "/nonexistent-exportctl-fuzz";  // bundled lists only
    c.screening = exportctl::engine::Config::Screening::OnFirstUse;
    return exportctl::engine::Snapshot::load(c);
  }();
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  exportctl::impact::Options o;
  o.before = *exportctl::Date::parse("2025-04-08");
  o.after = *exportctl::Date::parse("2025-04-15");
  o.threads = 1;
  for (const bool strict : {false, true}) {
    o.strict = strict;
    std::istringstream in(text);
    std::ostringstream changes;
    try {
      const auto summary = exportctl::impact::analyse(snapshot(), snapshot(), in, "fuzz.csv", changes, o);
      const std::string out = changes.str();
      std::size_t rows = 0;
      for (char c : out) rows += c == '\n';
      // Rows may hold quoted newlines (an end user's name): never fewer lines than orders.
      if (rows < summary["orders"].get<std::size_t>() + 1) std::abort();
      (void)exportctl::impact::render_html(summary);
    } catch (const exportctl::InputError&) {
    }
  }
  return 0;
}
