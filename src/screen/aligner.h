#pragma once
// Internal to the screening component: alignment scoring, shared by the
// Screener (index.cpp) and nothing else.

#include <vector>

#include "screen/matching.h"
#include "screen/scoring.h"

namespace exportctl::screen {

// Name and initial tokens: the distinctive ones, which alignment pairs fuzzily.
bool alignable(TokenKind k);

// Scores `query` against `listed` with the given token weights; the
// alignment and notes are filled only when `explain`.
PairScore align(const NormalizedName& query, const std::vector<double>& query_weights,
                const NormalizedName& listed, const std::vector<double>& listed_weights, bool explain,
                const ScoringWeights& weights);

}  // namespace exportctl::screen
