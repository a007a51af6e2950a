#pragma once
// Screening results as JSON (the form every front end shows).

#include <nlohmann/json_fwd.hpp>

#include <string_view>
#include <vector>

#include "screen/matching.h"

namespace exportctl::screen {

// {"query", "threshold", "list_version", "matches": [...]} as issue 4 specifies.
nlohmann::json to_json(std::string_view query, const ScreenOptions& options, const ListSnapshot& snapshot,
                       const std::vector<Match>& matches);
nlohmann::json match_json(const Match& match);

}  // namespace exportctl::screen
