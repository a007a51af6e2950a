// Sino-Korean readings of Han characters (issue 4): North Korean names are
// listed in McCune-Reischauer romanisation (金策 = Kim Chaek), read from
// Debian's libhangul-data hanja table plus data/vocab/korean_readings.yaml.

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <mutex>

#include "core/error.h"
#include "screen/normalize.h"

namespace exportctl::screen {

namespace fs = std::filesystem;

namespace {

// One Hangul syllable in McCune-Reischauer without diacritics, the way the
// lists spell North Korean names (강 kang, 성 song, 책 chaek).
std::string hangul_mr(char32_t syllable) {
  // ㅈ as "j" (Jang, Jong, Jangsu, as the lists spell it), ㅊ as "ch".
  static const char* initial[] = {"k",  "kk", "n", "t",  "tt", "r", "m", "p", "pp", "s",
                                  "ss", "",   "j", "jj", "ch", "k", "t", "p", "h"};
  static const char* vowel[] = {"a",  "ae", "ya", "yae", "o",  "e",  "yo", "ye", "o",  "wa", "wae",
                                "oe", "yo", "u",  "wo",  "we", "wi", "yu", "u",  "ui", "i"};
  static const char* final_consonant[] = {"",  "k",  "kk", "k", "n", "n", "n", "t", "l", "k",
                                          "m", "p",  "l",  "l", "p", "l", "m", "p", "p", "t",
                                          "t", "ng", "t",  "t", "k", "t", "p", "t"};
  if (syllable < 0xAC00 || syllable > 0xD7A3) return "";
  const auto index = static_cast<unsigned>(syllable - 0xAC00);
  return std::string(initial[index / 588]) + vowel[(index % 588) / 28] + final_consonant[index % 28];
}

}  // namespace

bool Normalizer::has_korean_readings() const {
  std::call_once(korean_once_, [this] { load_korean(); });
  return !korean_.empty();
}

void Normalizer::load_korean() const {
  // Debian's libhangul-data: "reading:hanja:meaning" lines, readings in
  // Hangul, alphabetical. Optional: without it Korean readings are off.
  const char* env = std::getenv("EXPORTCTL_HANJA");
  const fs::path table = env && *env ? fs::path(env) : fs::path("/usr/share/libhangul/hanja/hanja.txt");
  std::ifstream in(table);
  std::string line;
  std::vector<std::string> readings;
  std::string characters;  // one per line, folded in one call (OpenCC per character is slow)
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto a = line.find(':');
    const auto b = a == std::string::npos ? a : line.find(':', a + 1);
    if (b == std::string::npos) continue;
    const std::u32string reading = utf8_to_u32(line.substr(0, a));
    const std::string hanja = line.substr(a + 1, b - a - 1);
    if (reading.size() != 1 || utf8_to_u32(hanja).size() != 1) continue;
    readings.push_back(hangul_mr(reading[0]));
    characters += hanja + "\n";
  }
  const std::string folded = fold(characters);
  std::size_t start = 0, i = 0;
  for (std::size_t nl = folded.find('\n'); nl != std::string::npos && i < readings.size();
       start = nl + 1, nl = folded.find('\n', start), ++i) {
    const std::u32string c = utf8_to_u32(folded.substr(start, nl - start));
    if (c.size() == 1) korean_.try_emplace(c[0], readings[i]);
  }
  if (korean_.empty()) return;
  const fs::path overrides = vocab_dir_ / "korean_readings.yaml";
  if (!fs::exists(overrides)) return;
  YAML::Node root;
  try {
    root = YAML::LoadFile(overrides.string());
  } catch (const YAML::Exception& e) {
    throw InputError(location(overrides.string(), e.mark.line + 1), e.msg);
  }
  for (const auto& entry : root["entries"]) {
    const std::string where = location(overrides.string(), entry.Mark().line + 1);
    if (!entry["char"] || !entry["reading"])
      throw InputError(where, "fields 'char' and 'reading' are required");
    const std::u32string c = utf8_to_u32(fold(entry["char"].as<std::string>()));
    if (c.size() != 1) throw InputError(where, "field 'char' must be one character");
    korean_[c[0]] = entry["reading"].as<std::string>();
  }
}

std::string Normalizer::korean_reading(std::string_view han) const {
  if (!has_korean_readings()) return "";
  std::string out;
  for (char32_t c : utf8_to_u32(han)) {
    const auto it = korean_.find(c);
    if (it == korean_.end()) return "";
    out += it->second;
  }
  return out;
}

}  // namespace exportctl::screen
