#pragma once
// The screening score's weights and penalties, in one place. A score is a
// weighted Dice coefficient over both names' tokens (docs/SCREENING.md):
// each token weighs kind_weight(kind) times, for names, its rarity in the
// lists; matched tokens count by their similarity; unmatched ones cost a
// share of their weight; the multiplicative evidence rules below apply on
// top. Every value was tuned on the project's screening sets
// (bench/screen_quality_bench); change one only with the figures before and
// after.

namespace exportctl::screen {

enum class TokenKind : unsigned char { Name, Initial, Number, Place, Descriptor, LegalForm, Stopword };

struct ScoringWeights {
  // Weight of a token by kind (names also by rarity, below).
  double name = 1.0;
  double initial = 0.35;
  double number = 0.6;
  double place = 0.3;
  double descriptor = 0.25;
  double legal_form = 0.08;
  double stopword = 0.04;
  // Rarity of a name token: floor + (1 - floor) * normalised idf.
  double rarity_floor = 0.35;
  // Listed names weigh a little less than the query: the query is what the
  // user wants found.
  double list_side = 0.8;
  // An unmatched token costs this share of its weight: extra middle names and
  // branch words are common in true matches.
  double unmatched = 0.75;
  // Extra tokens of a fully matched personal name cost this share of `unmatched`.
  double person_extra = 0.5;

  // Similarity of aligned pairs that are not plain equal keys.
  double same_reading = 0.5;   // same romanisation, different characters (高市/高石)
  double initial_match = 0.7;  // an initial against a name with that letter
  double acronym = 0.9;        // PLA / People's Liberation Army
  double joined_min = 0.85;    // joined tokens must be at least this similar
  double typo = 0.9;           // a misspelt vocabulary word read as the word it misspells (Grop / Group)

  // Evidence rules (multiplicative).
  double no_distinctive_token = 0.5;  // only places/descriptors/legal forms shared
  double generic_extra_word = 0.85;   // generic-only names, one with a word the other lacks, no city shared
  double numbers_overlap = 0.8;       // numbers on both sides, some shared
  double numbers_disjoint = 0.5;      // numbers on both sides, none shared
  double number_one_side = 0.85;      // numbered sibling (Fund II)
  double descriptor_conflict = 0.9;   // different unmatched descriptors on both sides
  double legal_form_conflict = 0.88;  // different legal forms (AG / GmbH)
  double reorder = 0.05;              // times the share of inverted name pairs
  double surface_share = 0.04;        // share of the score from identical spelling
  double country_agrees = 0.05;       // closes this share of the gap to 1.0
  double country_differs = 0.93;

  // Retrieval (which candidates get aligned at all).
  double split_share = 0.5;     // each half of a split query token
  double bound_slack = 0.06;    // skip a candidate whose best score is this far below the threshold
  double weak_candidate = 0.2;  // skip candidates under this share of the best one's weight
};

// The weights in use unless a Screener is given others.
inline constexpr ScoringWeights kScoringWeights{};

inline double kind_weight(const ScoringWeights& w, TokenKind k) {
  switch (k) {
    case TokenKind::Name:
      return w.name;
    case TokenKind::Initial:
      return w.initial;
    case TokenKind::Number:
      return w.number;
    case TokenKind::Place:
      return w.place;
    case TokenKind::Descriptor:
      return w.descriptor;
    case TokenKind::LegalForm:
      return w.legal_form;
    case TokenKind::Stopword:
      return w.stopword;
  }
  return w.name;
}

}  // namespace exportctl::screen
