// List parsing of arbitrary bytes in every layout: either entries come back
// or an InputError names the problem; nothing else escapes.
#include <cstdint>
#include <string>

#include "core/error.h"
#include "screen/screen.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace exportctl::screen;
  const std::string content(reinterpret_cast<const char*>(data), size);
  for (const char* name : {"list.csv", "list.json", "dpl.txt"}) {
    try {
      for (const auto& e : parse_list(content, name))
        if (e.name.empty()) __builtin_trap();
    } catch (const exportctl::InputError&) {
    }
  }
  return 0;
}
