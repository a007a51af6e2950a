#pragma once
// Name normalisation, and the Screener: candidate retrieval plus alignment
// scoring over one snapshot. Every scoring function is pure; a Screener is
// shared by all threads of a batch without locks.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "screen/lists.h"
#include "screen/scoring.h"

namespace exportctl::screen {

const char* to_string(TokenKind kind);

struct Token {
  std::string key;      // what matching compares: name text, or vocabulary id ("#13" for numbers)
  std::string surface;  // what the user wrote, for explanations ("有限公司", "Technologies")
  TokenKind kind = TokenKind::Name;
  // Query side: the word(s) as written when a misspelt vocabulary word was
  // read as the word it misspells ("grop" for group); "" otherwise.
  std::string typo_of;
};

struct NormalizedName {
  std::string folded;  // NFKC-casefolded, simplified, romanised text (for surface similarity)
  std::vector<Token> tokens;
};

// Normalizer: the vocabulary-driven pipeline (src/screen/normalize.h).
std::shared_ptr<const Normalizer> load_normalizer(const std::filesystem::path& vocab_dir);
std::shared_ptr<const Normalizer> bundled_normalizer();
NormalizedName normalize(const Normalizer& normalizer, std::string_view text);

// Checks a query: non-empty, at most kMaxQueryBytes, valid UTF-8, no control
// characters. Throws InputError(where, ...) otherwise.
inline constexpr std::size_t kMaxQueryBytes = 4096;
void validate_query(std::string_view name, const std::string& where);

// ---------------------------------------------------------------- matching

struct AlignedPair {
  std::string query;   // query token surface(s), "" when a list token is unmatched
  std::string listed;  // list token surface(s), "" when a query token is unmatched
  std::string how;     // exact, vocabulary, fuzzy, joined, initial, unmatched
  std::string kind;    // token kind (name, descriptor, legal_form, ...)
  double similarity = 0;
  double weight = 0;  // weight of the tokens in the score
};

struct PairScore {
  double score = 0;
  std::vector<AlignedPair> alignment;
  std::vector<std::string> notes;  // penalties and evidence applied, in words
};

struct ScreenOptions {
  double threshold = 0.80;
  std::string country;  // ISO alpha-2; optional evidence
  std::size_t limit = 20;
  bool include_linked = true;
};
inline constexpr double kDefaultThreshold = 0.80;

struct Match {
  const Entry* entry = nullptr;
  double score = 0;
  std::string matched_name;
  PairScore detail;
  const Entry* via = nullptr;  // set when found through a linked record
  // Set when matched_name is a name from the bilingual table, not the list.
  const SourcedName* name_source = nullptr;
};

// Candidate retrieval (token and character-trigram index with rarity weights)
// plus alignment scoring over one snapshot. Thread-safe for concurrent screen().
class Screener {
 public:
  Screener(std::shared_ptr<const ListSnapshot> snapshot, std::shared_ptr<const Normalizer> normalizer,
           const ScoringWeights& weights = kScoringWeights);
  ~Screener();
  Screener(const Screener&) = delete;
  Screener& operator=(const Screener&) = delete;

  // Matches at or above options.threshold, best first. Throws InputError for
  // an invalid query (see validate_query).
  std::vector<Match> screen(std::string_view name, const ScreenOptions& options = {}) const;
  // Scores two names with this index's rarity weights (pure; for evaluation).
  PairScore score_pair(std::string_view query, std::string_view listed) const;

  const ListSnapshot& snapshot() const { return *snapshot_; }
  const Normalizer& normalizer() const { return *normalizer_; }
  const ScoringWeights& weights() const { return weights_; }
  std::size_t indexed_names() const;

 private:
  struct Index;
  friend std::vector<Match> brute_force_jaro_winkler(const Screener&, std::string_view, double);
  std::shared_ptr<const ListSnapshot> snapshot_;
  std::shared_ptr<const Normalizer> normalizer_;
  ScoringWeights weights_;
  std::unique_ptr<Index> index_;
};

// Baseline for benchmarks: Jaro-Winkler of the folded query against every
// listed name, the approach of most small screening tools.
std::vector<Match> brute_force_jaro_winkler(const Screener& screener, std::string_view name,
                                            double threshold);

// A screener over DATA_DIR's current snapshot (or the bundled lists when
// none was imported), with the bundled vocabularies. Build it once and share
// it: construction indexes every listed name.
std::shared_ptr<const Screener> make_screener(const std::filesystem::path& data_dir);

// Entity List matches for a party at the default threshold, best first, for
// the license engine (issue 3). Each carries the entry (license requirement,
// policy, FR notice) and the alignment.
std::vector<Match> entity_list_matches(const Screener& screener, std::string_view party,
                                       std::string_view country = {});

}  // namespace exportctl::screen
