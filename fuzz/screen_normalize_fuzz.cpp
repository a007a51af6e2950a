// Normalisation and screening of arbitrary bytes: validation either rejects
// the query with InputError or the whole pipeline (ICU, OpenCC, vocabulary,
// index, alignment) returns a result with scores in [0, 1].
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/error.h"
#include "screen/normalize.h"
#include "screen/screen.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace exportctl::screen;
  static const auto normalizer = bundled_normalizer();
  static const Screener screener(bundled_snapshot(), normalizer);
  const std::string text(reinterpret_cast<const char*>(data), size);
  normalizer->normalize(text);  // list side: lenient, must never throw or crash
  // Query side with nothing known: every typo correction, split and join is tried.
  static const Normalizer::KnownWord nothing_known = [](std::string_view) { return false; };
  for (const auto& t : normalizer->normalize(text, HanReading::Pinyin, &nothing_known).tokens)
    if (t.key.empty()) std::abort();
  try {
    ScreenOptions options;
    options.threshold = 0.0;
    for (const auto& m : screener.screen(text, options))
      if (!(m.score >= 0.0 && m.score <= 1.0)) std::abort();
    const auto p = screener.score_pair(text, "Huawei Technologies Co., Ltd.");
    if (!(p.score >= 0.0 && p.score <= 1.0)) std::abort();
  } catch (const exportctl::InputError&) {
  }
  return 0;
}
