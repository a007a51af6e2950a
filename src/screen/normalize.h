#pragma once
// The name normaliser: a pipeline of small named steps whose vocabularies are
// data (data/vocab/*.yaml), so an analyst extends them without a release.
//
//   fold       NFKC + case folding (ICU), Japanese and traditional Han to
//              simplified (OpenCC jp2t, t2s)
//   split      words, single Han characters, digits; dotted acronyms joined
//              (U.S.A. -> usa), lost apostrophes joined (Xi?an -> xian)
//   romanise   other scripts to Latin (ICU Any-Latin; Latin-ASCII), Han to
//              pinyin per character (ICU Han-Latin)
//   numbers    digits, ordinals (13th), Chinese numerals (第十三) -> "#13"
//   phrases    longest match against legal forms, descriptors, places,
//              stopwords and number words, in any script, with multi-word
//              forms also matched run together (youxiangongsi)
//   names      what is left: runs of Han characters become one pinyin token
//              (华为 -> huawei), Latin words stay, single letters are initials
//
// Thread-safe: the ICU and OpenCC converters are per thread.

#include <filesystem>
#include <functional>
#include <optional>
#include <memory>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "screen/screen.h"

namespace exportctl::screen {

// How a run of Han characters outside the vocabulary is romanised.
enum class HanReading { Pinyin, Korean };

class Normalizer {
 public:
  // Reads every vocabulary file of `dir`; throws InputError naming file and line.
  static std::shared_ptr<const Normalizer> load(const std::filesystem::path& dir);

  // Whether a word (lower-case ASCII) is known to the caller as a name: the
  // index's dictionary, so a listed name is never "corrected" into a word.
  using KnownWord = std::function<bool(std::string_view)>;
  // With `known_word` (queries), a word that is neither a vocabulary form nor
  // known and misspells a vocabulary word is read as that word; its token
  // carries `typo_of`. Without it (listed names), words are read as written.
  NormalizedName normalize(std::string_view text, HanReading reading = HanReading::Pinyin,
                           const KnownWord* known_word = nullptr) const;
  // True when Sino-Korean readings are available (Debian's libhangul-data).
  // Loaded on first use (most queries have no Han characters).
  bool has_korean_readings() const;
  // Sino-Korean romanisation of Han characters (McCune-Reischauer, no
  // diacritics, syllables run together): 金策 -> kimchaek. "" when unknown.
  std::string korean_reading(std::string_view han_characters) const;

  // Individual steps, for tests and diagnostics.
  static std::string fold(std::string_view text);
  static std::string romanize(std::string_view folded_word);
  static std::string han_pinyin(std::string_view han_characters);  // no spaces between syllables
  std::size_t vocabulary_size() const { return phrases_.size(); }
  // The vocabulary word `word` misspells, if any: `word` (lower-case ASCII,
  // not itself a vocabulary word) is one deletion on either side from a
  // descriptor, legal-form or stop word of five letters or more
  // (symmetric-delete neighbourhoods), with the same first letter and within
  // the edit budget token_similarity allows ("circut", "grop", "tecnologies").
  std::optional<std::string> vocabulary_correction(std::string_view word) const;
  // True when `word` alone is a descriptor, legal-form or stop-word form
  // ("tech", "ltd"): a brand written run together may end in one (Wingtech).
  bool is_vocabulary_word(std::string_view word) const;

 private:
  struct Phrase {
    TokenKind kind;
    std::string key;
  };
  struct Raw {
    std::string text;  // matching text: lower-case ASCII word, or one Han character
    bool han = false;
  };
  static std::vector<Raw> split(std::string_view folded);
  // Query side: misspelt, run-together and split vocabulary words read as
  // the words they are (query_words.cpp); `written` keeps what was typed.
  void read_query_words(std::vector<Raw>& raws, std::vector<std::string>& written,
                        const KnownWord& known_word) const;
  static std::string romanize_uncached(std::string_view word);
  void add_form(const std::string& form, TokenKind kind, const std::string& key, const std::string& file);

  void load_korean() const;
  void index_vocabulary_words();
  // What the vocabulary says of one query word (cached per thread).
  struct WordFacts {
    bool vocabulary = false;         // a vocabulary form by itself
    bool vocabulary_part = false;    // a word of some form (a split word joined back may be one)
    std::string correction;          // the vocabulary word it misspells, or ""
    std::vector<std::uint8_t> cuts;  // where the rest of the word begins a vocabulary form
  };
  const WordFacts& word_facts(const std::string& word) const;
  // A word of some descriptor, legal-form or stop-word form ("liability").
  bool is_vocabulary_part(const std::string& word) const;

  // Latin words of the descriptor, legal-form and stop-word forms (five
  // letters or more), and each one-deletion neighbour -> those words.
  std::vector<std::string> vocabulary_words_;
  std::unordered_set<std::string> phrase_starts_;  // first Latin word of every vocabulary form
  std::unordered_set<std::string> phrase_pairs_;   // first two words of multi-word forms, '\x1f'-joined
  std::unordered_map<std::string, std::vector<std::uint32_t>> vocabulary_deletes_;

  std::unordered_map<std::string, Phrase> phrases_;  // raw texts joined by '\x1f'
  std::filesystem::path vocab_dir_;
  mutable std::once_flag korean_once_;
  mutable std::unordered_map<char32_t, std::string> korean_;  // simplified Han character -> reading
  std::size_t max_phrase_tokens_ = 1;
};

// Decodes UTF-8 to code points (invalid bytes become U+FFFD).
std::u32string utf8_to_u32(std::string_view text);

// Reads a Chinese numeral ("十三", "五十四", "一〇二"); -1 when it is not one.
long parse_chinese_numeral(std::u32string_view text);

}  // namespace exportctl::screen
