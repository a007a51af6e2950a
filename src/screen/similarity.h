#pragma once
// String similarity primitives for token alignment. Debian 12 packages no
// maintained C++ edit-distance library (rapidfuzz-cpp arrives only in later
// releases), so these are small, tested implementations over bytes; tokens are
// ASCII after romanisation, other bytes compare as they are.

#include <string_view>

namespace exportctl::screen {

// Levenshtein distance with adjacent transpositions (optimal string
// alignment), stopping early once it exceeds `max` (returns max + 1).
int levenshtein(std::string_view a, std::string_view b, int max = 1 << 20);

// The same by dynamic programming (any length); the reference the
// bit-parallel kernel is tested against.
int levenshtein_dp(std::string_view a, std::string_view b, int max = 1 << 20);

// Jaro similarity and the Winkler variant (prefix bonus up to 4 characters,
// applied when Jaro >= 0.7, as in Winkler's original definition).
double jaro(std::string_view a, std::string_view b);
double jaro_winkler(std::string_view a, std::string_view b, double prefix_scale = 0.1);

// Edits a token of this length may carry and still be the same word: none for
// short tokens (where one letter changes the word: CVC/CVS, BD/BP), then one
// per few characters.
int edit_budget(std::size_t length);

// Similarity of two name tokens in [0, 1]: 1 when equal, 0 when they differ by
// more than the edit budget of the shorter, else a blend of the Levenshtein
// ratio and Jaro-Winkler.
double token_similarity(std::string_view a, std::string_view b);

}  // namespace exportctl::screen
