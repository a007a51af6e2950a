#pragma once
// JSON input we do not control (spec files, list files, API request bodies)
// is parsed here: syntax errors name the source and line, numbers out of
// range are input errors, and nesting deeper than a limit is refused before
// it can exhaust a recursive consumer's stack.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace exportctl {

inline constexpr int kMaxJsonDepth = 64;

// Throws InputError(source[:line], ...) on bad input.
nlohmann::json parse_json(std::string_view text, const std::string& source, int max_depth = kMaxJsonDepth);

}  // namespace exportctl
