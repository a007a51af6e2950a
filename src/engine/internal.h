#pragma once
// Internal to the engine: pieces shared by single requests and batches.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "engine/engine.h"
#include "screen/screen.h"

namespace exportctl::engine {

// A country request field as people write it ("cn", "China", "UAE") turned
// into its ISO code; InputError(field, ...) with the nearest names otherwise.
std::string country_code(const Snapshot& snapshot, const std::string& text, const std::string& field);

// Screening options from request fields; InputError(prefix + field) when bad.
screen::ScreenOptions screen_options(std::optional<double> threshold, std::size_t limit,
                                     const std::string& country, const std::string& prefix);
// One name screened and rendered (adjudicated matches listed apart).
nlohmann::json screen_result(const screen::Screener& screener,
                             const std::vector<screen::Adjudication>& adjudications, const std::string& name,
                             const screen::ScreenOptions& options, std::size_t* match_count);

}  // namespace exportctl::engine
