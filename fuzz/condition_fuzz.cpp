// Fuzzes the condition language: compile, then evaluate with and without a trace
// over inputs derived from the same bytes (some unknown), checking the two agree.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "rules/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace exportctl::rules;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Condition c;
  try {
    c = Condition::compile(text, item_schema());
  } catch (const ConditionError&) {
    return 0;
  }
  Value in[kItemInputCount];
  for (int i = 0; i < kItemInputCount; ++i) {
    const uint8_t b = size ? data[static_cast<size_t>(i) % size] : 0;
    const auto type = item_schema().variables()[static_cast<size_t>(i)].type;
    if (b % 5 == 0) continue;  // unknown
    if (type == ValueType::Number) in[i] = Value::of(static_cast<double>(b) * 37.5);
    if (type == ValueType::Bool) in[i] = Value::of(b % 2 == 0);
    if (type == ValueType::String) in[i] = Value::of(std::string_view(b % 2 ? "ic" : "CN"));
  }
  std::vector<Comparison> trace;
  const Tri fast = c.evaluate(in);
  const Tri traced = c.evaluate(in, nullptr, trace);
  if (fast != traced) std::abort();
  return 0;
}
