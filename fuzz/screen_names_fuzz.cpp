// The bilingual name table and the watch file from arbitrary bytes: rows come
// back with every required field filled and checked, or an InputError names
// the file, line and field; nothing else escapes.
#include <cstdint>
#include <string>

#include "core/error.h"
#include "screen/screen.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace exportctl::screen;
  const std::string content(reinterpret_cast<const char*>(data), size);
  try {
    for (const auto& r : parse_name_table(content, "names.csv"))
      if (r.source_url.rfind("http", 0) != 0 || (r.zh_simplified.empty() && r.zh_traditional.empty()) ||
          r.list_name.empty())
        __builtin_trap();
  } catch (const exportctl::InputError&) {
  }
  try {
    for (const auto& w : parse_watch_file(content, "watch.csv"))
      if (w.id.empty() || w.name.empty() || w.source_url.rfind("http", 0) != 0) __builtin_trap();
  } catch (const exportctl::InputError&) {
  }
  return 0;
}
