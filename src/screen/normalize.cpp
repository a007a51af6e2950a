#include "screen/normalize.h"

#include <opencc/opencc.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <mutex>

#include "core/error.h"
#include "screen/text.h"

namespace exportctl::screen {

namespace fs = std::filesystem;

namespace {

// ICU's U8_NEXT macro trips -Wconversion and -Wold-style-cast; contain it here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wsign-conversion"
UChar32 next_code_point(const char* s, int32_t& i, int32_t n) {
  UChar32 c;
  U8_NEXT(s, i, n, c);
  return c;
}
#pragma GCC diagnostic pop

using text::is_alpha;
using text::is_ascii;
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_alpha(c) || is_digit(c);
}

std::string to_utf8(const icu::UnicodeString& u) {
  std::string out;
  u.toUTF8String(out);
  return out;
}

// ICU transliterators and OpenCC converters are created once per thread:
// ICU documents Transliterator::transliterate as not safe for concurrent use
// of one instance, and OpenCC says nothing, so neither is shared.
icu::Transliterator& transliterator(const char* id) {
  thread_local std::unordered_map<std::string, std::unique_ptr<icu::Transliterator>> cache;
  auto& slot = cache[id];
  if (!slot) {
    UErrorCode status = U_ZERO_ERROR;
    slot.reset(icu::Transliterator::createInstance(id, UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !slot)
      throw std::runtime_error(std::string("ICU transliterator unavailable: ") + id);
  }
  return *slot;
}

struct HanConverters {
  opencc::SimpleConverter japanese{"jp2t.json"};
  opencc::SimpleConverter simplified{"t2s.json"};
};
HanConverters& han_converters() {
  thread_local HanConverters converters;
  return converters;
}

bool is_han(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(c, &status) == USCRIPT_HAN;
}

long chinese_digit(char32_t c) {
  switch (c) {
    case U'零':
    case U'〇':
      return 0;
    case U'一':
      return 1;
    case U'二':
    case U'两':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    default:
      return -1;
  }
}
long chinese_unit(char32_t c) {
  switch (c) {
    case U'十':
      return 10;
    case U'百':
      return 100;
    case U'千':
      return 1000;
    default:
      return -1;
  }
}

std::u32string to_u32(std::string_view utf8) {
  std::u32string out;
  int32_t i = 0;
  const auto n = static_cast<int32_t>(utf8.size());
  while (i < n) {
    const UChar32 c = next_code_point(utf8.data(), i, n);
    out.push_back(c < 0 ? U'\uFFFD' : static_cast<char32_t>(c));
  }
  return out;
}

std::string number_key(std::string_view digits) {
  std::size_t i = 0;
  while (i + 1 < digits.size() && digits[i] == '0') ++i;
  return "#" + std::string(digits.substr(i));
}

constexpr char kSep = text::kPhraseSep;

}  // namespace

std::u32string utf8_to_u32(std::string_view text) {
  return to_u32(text);
}

long parse_chinese_numeral(std::u32string_view text) {
  if (text.empty() || text.size() > 8) return -1;
  // Positional form (一〇二) when there is no unit character.
  if (std::none_of(text.begin(), text.end(), [](char32_t c) { return chinese_unit(c) > 0; })) {
    long value = 0;
    for (char32_t c : text) {
      const long d = chinese_digit(c);
      if (d < 0) return -1;
      value = value * 10 + d;
    }
    return value;
  }
  long total = 0, pending = -1;
  for (char32_t c : text) {
    if (const long d = chinese_digit(c); d >= 0) {
      if (pending >= 0) return -1;  // two digits in a row in unit form
      pending = d;
    } else if (const long u = chinese_unit(c); u > 0) {
      total += (pending < 0 ? 1 : pending) * u;  // 十三: a bare 十 is ten
      pending = -1;
    } else {
      return -1;
    }
  }
  if (pending > 0) total += pending;
  return total;
}

std::string Normalizer::fold(std::string_view text) {
  if (is_ascii(text)) {
    std::string out(text);
    for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFKC_Casefold unavailable");
  // Invalid UTF-8 becomes U+FFFD here; queries are validated before this.
  const icu::UnicodeString source =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  const icu::UnicodeString folded = nfkc_cf->normalize(source, status);
  if (U_FAILURE(status)) return std::string(text);
  std::string out = to_utf8(folded);
  bool has_han = false;
  for (int32_t i = 0; i < folded.length();) {
    const UChar32 c = folded.char32At(i);
    if (is_han(c)) {
      has_han = true;
      break;
    }
    i += U16_LENGTH(c);
  }
  if (has_han) {
    auto& conv = han_converters();
    out = conv.simplified.Convert(conv.japanese.Convert(out));
  }
  return out;
}

std::string Normalizer::romanize(std::string_view word) {
  if (is_ascii(word)) return std::string(word);
  // ICU's rule-based transliterators cost tens of microseconds per word; a
  // bounded per-thread cache makes repeated words (in a batch, in a list) free.
  thread_local std::unordered_map<std::string, std::string> cache;
  const std::string key(word);
  if (const auto it = cache.find(key); it != cache.end()) return it->second;
  if (cache.size() > 200000) cache.clear();
  std::string out = romanize_uncached(word);
  cache.emplace(key, out);
  return out;
}

std::string Normalizer::romanize_uncached(std::string_view word) {
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  transliterator("Any-Latin; Latin-ASCII").transliterate(u);
  std::string out = to_utf8(u);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string Normalizer::han_pinyin(std::string_view han) {
  // Per-character cache: Han-Latin is slow and the character set is small.
  thread_local std::unordered_map<std::string, std::string> cache;
  std::string out;
  int32_t i = 0;
  const auto n = static_cast<int32_t>(han.size());
  while (i < n) {
    const int32_t start = i;
    next_code_point(han.data(), i, n);
    const std::string ch(han.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
    auto it = cache.find(ch);
    if (it == cache.end()) {
      icu::UnicodeString u = icu::UnicodeString::fromUTF8(ch);
      transliterator("Han-Latin; Latin-ASCII").transliterate(u);
      std::string latin;
      for (char x : to_utf8(u))
        if (is_alpha(x)) latin.push_back(static_cast<char>(x >= 'A' && x <= 'Z' ? x - 'A' + 'a' : x));
      it = cache.emplace(ch, latin).first;
    }
    out += it->second;
  }
  return out;
}

std::vector<Normalizer::Raw> Normalizer::split(std::string_view folded) {
  std::vector<Raw> raws;
  std::string word;
  bool word_ascii = true;
  auto flush = [&] {
    if (word.empty()) return;
    std::string latin = word_ascii ? word : romanize(word);
    word.clear();
    word_ascii = true;
    // Romanisation can introduce separators ("xi'an"); split again on them and
    // at letter/digit boundaries (CETC13 -> cetc 13).
    std::string part;
    auto emit = [&] {
      if (!part.empty()) raws.push_back({part, false});
      part.clear();
    };
    for (char c : latin) {
      if (c == '\'' || c == '`') continue;
      if (!is_alnum(c)) {
        emit();
        continue;
      }
      if (!part.empty() && is_digit(part.back()) != is_digit(c)) emit();
      part.push_back(c);
    }
    emit();
  };

  const auto n = static_cast<int32_t>(folded.size());
  int32_t i = 0;
  while (i < n) {
    const int32_t start = i;
    const UChar32 c = next_code_point(folded.data(), i, n);
    if (c < 0) {  // invalid byte: a separator
      flush();
      continue;
    }
    if (c < 0x80) {
      const char a = static_cast<char>(c);
      if (is_alnum(a)) {
        // Dotted acronym: single letters separated by dots (u.s.a.) join up.
        if (is_alpha(a) && word.empty() && i + 1 < n && folded[static_cast<std::size_t>(i)] == '.' &&
            is_alpha(folded[static_cast<std::size_t>(i) + 1]) &&
            (i + 2 >= n || !is_alnum(folded[static_cast<std::size_t>(i) + 2]))) {
          std::string acronym(1, a);
          int32_t j = i;
          while (j + 1 < n && folded[static_cast<std::size_t>(j)] == '.' &&
                 is_alpha(folded[static_cast<std::size_t>(j) + 1]) &&
                 (j + 2 >= n || !is_alnum(folded[static_cast<std::size_t>(j) + 2]))) {
            acronym.push_back(folded[static_cast<std::size_t>(j) + 1]);
            j += 2;
          }
          if (j < n && folded[static_cast<std::size_t>(j)] == '.') ++j;
          raws.push_back({acronym, false});
          i = j;
          continue;
        }
        word.push_back(a);
        continue;
      }
      // An apostrophe, or the "?" BIS files carry for a lost apostrophe or
      // accent, inside a word joins it (Xi?an, O'Brien).
      if ((a == '\'' || a == '?') && !word.empty() && i < n &&
          is_alpha(folded[static_cast<std::size_t>(i)])) {
        // Possessive 's ends the word (Deutsche Bank's AG).
        if (a == '\'' && folded[static_cast<std::size_t>(i)] == 's' &&
            (i + 1 >= n || !is_alnum(folded[static_cast<std::size_t>(i) + 1]))) {
          ++i;
          flush();
        }
        continue;
      }
      flush();
      if (a == '&' || a == '+') raws.push_back({"and", false});
      continue;
    }
    if (is_han(c)) {
      flush();
      raws.push_back(
          {std::string(folded.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start))),
           true});
      continue;
    }
    if (c == 0x2019 || c == 0x2018 || c == 0x02BC) {  // typographic apostrophes
      if (!word.empty()) continue;
      flush();
      continue;
    }
    if (u_isalnum(c) || u_getCombiningClass(c) != 0 || u_charType(c) == U_NON_SPACING_MARK ||
        u_charType(c) == U_COMBINING_SPACING_MARK || u_charType(c) == U_MODIFIER_LETTER ||
        u_charType(c) == U_OTHER_LETTER) {
      word.append(folded.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
      word_ascii = false;
      continue;
    }
    flush();
  }
  flush();
  return raws;
}

void Normalizer::add_form(const std::string& form, TokenKind kind, const std::string& key,
                          const std::string& file) {
  const auto raws = split(fold(form));
  if (raws.empty()) throw InputError(file, "vocabulary form '" + form + "' has no letters or digits");
  std::string joined, run_together;
  bool all_latin = true;
  for (std::size_t i = 0; i < raws.size(); ++i) {
    if (i) joined.push_back(kSep);
    joined += raws[i].text;
    run_together += raws[i].text;
    all_latin = all_latin && !raws[i].han;
  }
  phrases_.try_emplace(joined, Phrase{kind, key});
  if (raws.size() > 1 && all_latin) phrases_.try_emplace(run_together, Phrase{kind, key});
  max_phrase_tokens_ = std::max(max_phrase_tokens_, raws.size());
}

std::shared_ptr<const Normalizer> Normalizer::load(const fs::path& dir) {
  auto n = std::shared_ptr<Normalizer>(new Normalizer());
  struct FileKind {
    const char* file;
    TokenKind kind;
  };
  // Order matters only for a form listed in two files: the first file wins.
  const FileKind files[] = {
      {"organisations.yaml", TokenKind::Name},    {"numbers.yaml", TokenKind::Number},
      {"legal_forms.yaml", TokenKind::LegalForm}, {"descriptors.yaml", TokenKind::Descriptor},
      {"places.yaml", TokenKind::Place},          {"stopwords.yaml", TokenKind::Stopword}};
  for (const auto& [file, kind] : files) {
    const fs::path path = dir / file;
    if (!fs::exists(path)) throw InputError(path.string(), "vocabulary file is missing");
    YAML::Node root;
    try {
      root = YAML::LoadFile(path.string());
    } catch (const YAML::Exception& e) {
      throw InputError(location(path.string(), e.mark.line + 1), e.msg);
    }
    const YAML::Node entries = root["entries"];
    if (!entries || !entries.IsSequence()) throw InputError(path.string(), "expected a list under 'entries'");
    for (const auto& entry : entries) {
      const std::string where = location(path.string(), entry.Mark().line + 1);
      std::string key;
      if (kind == TokenKind::Number) {
        if (!entry["value"]) throw InputError(where, "field 'value' is missing");
        key = number_key(entry["value"].as<std::string>());
      } else {
        if (!entry["id"]) throw InputError(where, "field 'id' is missing");
        key = entry["id"].as<std::string>();
      }
      const YAML::Node forms = entry["forms"];
      if (!forms || !forms.IsSequence() || forms.size() == 0)
        throw InputError(where, "field 'forms' must be a non-empty list");
      for (const auto& form : forms) n->add_form(form.as<std::string>(), kind, key, where);
    }
  }
  n->vocab_dir_ = dir;
  n->index_vocabulary_words();
  return n;
}

NormalizedName Normalizer::normalize(std::string_view text, HanReading reading,
                                     const KnownWord* known_word) const {
  NormalizedName result;
  std::vector<Raw> raws = split(fold(text));
  // Query side: misspelt, run-together and split vocabulary words read as
  // the words they are (query_words.cpp).
  std::vector<std::string> written(raws.size());
  if (known_word) read_query_words(raws, written, *known_word);
  std::string han_run, han_surface;
  auto flush_han = [&] {
    if (han_run.empty()) return;
    std::string pinyin = reading == HanReading::Korean ? korean_reading(han_run) : std::string();
    if (pinyin.empty()) pinyin = han_pinyin(han_run);
    if (!pinyin.empty()) result.tokens.push_back({pinyin, han_run, TokenKind::Name, {}});
    han_run.clear();
  };

  for (std::size_t i = 0; i < raws.size();) {
    // Chinese ordinal: 第 followed by numerals.
    if (raws[i].han && raws[i].text == "第") {
      std::u32string digits;
      std::size_t j = i + 1;
      while (j < raws.size() && raws[j].han) {
        const std::u32string c = to_u32(raws[j].text);
        if (c.size() != 1 || (chinese_digit(c[0]) < 0 && chinese_unit(c[0]) < 0)) break;
        digits += c;
        ++j;
      }
      if (const long v = parse_chinese_numeral(digits); v >= 0 && j > i + 1) {
        flush_han();
        std::string surface;
        for (std::size_t k = i; k < j; ++k) surface += raws[k].text;
        result.tokens.push_back({"#" + std::to_string(v), surface, TokenKind::Number, {}});
        i = j;
        continue;
      }
    }
    if (!raws[i].han && is_digit(raws[i].text[0])) {
      flush_han();
      result.tokens.push_back({number_key(raws[i].text), raws[i].text, TokenKind::Number, {}});
      ++i;
      // English ordinal suffix after digits (13th).
      if (i < raws.size()) {
        const auto& s = raws[i].text;
        if (s == "st" || s == "nd" || s == "rd" || s == "th") ++i;
      }
      continue;
    }
    // Longest vocabulary phrase starting here.
    std::size_t best_len = 0;
    const Phrase* best = nullptr;
    std::string key;
    for (std::size_t len = 1; len <= max_phrase_tokens_ && i + len <= raws.size(); ++len) {
      if (len > 1) key.push_back(kSep);
      key += raws[i + len - 1].text;
      if (auto it = phrases_.find(key); it != phrases_.end()) {
        best = &it->second;
        best_len = len;
      }
    }
    // A single Latin letter is an initial, not a vocabulary word, unless a
    // longer phrase starts with it (s a de c v).
    if (best && !(best_len == 1 && !raws[i].han && raws[i].text.size() == 1)) {
      flush_han();
      std::string surface, typo_of;
      for (std::size_t k = i; k < i + best_len; ++k) {
        if (k > i && !raws[k].han) surface.push_back(' ');
        surface += written[k].empty() ? raws[k].text : written[k];
        if (!written[k].empty()) typo_of += (typo_of.empty() ? "" : " ") + written[k];
      }
      result.tokens.push_back({best->key, surface, best->kind, typo_of});
      i += best_len;
      continue;
    }
    if (raws[i].han) {
      han_run += raws[i].text;
      ++i;
      continue;
    }
    flush_han();
    // A correction that formed no phrase is undone: the word stays a name.
    const auto& t = written[i].empty() ? raws[i].text : written[i];
    result.tokens.push_back({t, t, t.size() == 1 ? TokenKind::Initial : TokenKind::Name, {}});
    ++i;
  }
  flush_han();

  // Compound numbers: a tens value followed by a unit (forty-four, forty 4).
  for (std::size_t i = 0; i + 1 < result.tokens.size(); ++i) {
    auto& a = result.tokens[i];
    const auto& b = result.tokens[i + 1];
    if (a.kind != TokenKind::Number || b.kind != TokenKind::Number) continue;
    const long tens = std::strtol(a.key.c_str() + 1, nullptr, 10);
    const long unit = std::strtol(b.key.c_str() + 1, nullptr, 10);
    if (tens < 20 || tens > 90 || tens % 10 != 0 || unit < 1 || unit > 9) continue;
    a.key = "#" + std::to_string(tens + unit);
    a.surface += " " + b.surface;
    result.tokens.erase(result.tokens.begin() + static_cast<long>(i) + 1);
  }

  for (const auto& t : result.tokens) {
    if (!result.folded.empty()) result.folded.push_back(' ');
    result.folded += t.kind == TokenKind::Name || t.kind == TokenKind::Initial ? t.key : t.surface;
  }
  // Surface form for similarity: romanised throughout.
  std::string romanised;
  for (const auto& t : result.tokens) {
    if (!romanised.empty()) romanised.push_back(' ');
    bool ascii = is_ascii(t.surface);
    romanised += ascii ? t.surface : (t.kind == TokenKind::Name ? t.key : han_pinyin(t.surface));
  }
  result.folded = romanised;
  return result;
}

// ---------------------------------------------------------------- public wrappers

std::shared_ptr<const Normalizer> load_normalizer(const fs::path& vocab_dir) {
  return Normalizer::load(vocab_dir);
}

std::shared_ptr<const Normalizer> bundled_normalizer() {
  static std::mutex mutex;
  static std::shared_ptr<const Normalizer> instance;
  std::lock_guard lock(mutex);
  if (!instance) instance = Normalizer::load(bundled_vocab_dir());
  return instance;
}

NormalizedName normalize(const Normalizer& normalizer, std::string_view text) {
  return normalizer.normalize(text);
}

const char* to_string(TokenKind kind) {
  switch (kind) {
    case TokenKind::Name:
      return "name";
    case TokenKind::Initial:
      return "initial";
    case TokenKind::Number:
      return "number";
    case TokenKind::Place:
      return "place";
    case TokenKind::Descriptor:
      return "descriptor";
    case TokenKind::LegalForm:
      return "legal_form";
    case TokenKind::Stopword:
      return "stopword";
  }
  return "name";
}

void validate_query(std::string_view name, const std::string& where) {
  if (name.empty()) throw InputError(where, "the name is empty");
  if (name.size() > kMaxQueryBytes)
    throw InputError(where, "the name is " + std::to_string(name.size()) + " bytes long; the limit is " +
                                std::to_string(kMaxQueryBytes));
  const auto n = static_cast<int32_t>(name.size());
  int32_t i = 0;
  bool any_visible = false;
  while (i < n) {
    const int32_t at = i;
    const UChar32 c = next_code_point(name.data(), i, n);
    if (c < 0) throw InputError(where, "invalid UTF-8 at byte " + std::to_string(at));
    // Cc only: format characters (ZWNJ, ZWJ) belong in Persian and Indic names.
    if (u_charType(c) == U_CONTROL_CHAR || c == 0x2028 || c == 0x2029)
      throw InputError(
          where, "control character U+" +
                     [&] {
                       char buf[16];
                       std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(c));
                       return std::string(buf);
                     }() +
                     " at byte " + std::to_string(at));
    if (!u_isUWhiteSpace(c)) any_visible = true;
  }
  if (!any_visible) throw InputError(where, "the name is blank");
}

}  // namespace exportctl::screen
