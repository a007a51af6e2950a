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

// JSON text of `value` for output; bytes that are not valid UTF-8 (from a
// source that does not check it) become U+FFFD instead of an exception.
std::string dump_json(const nlohmann::json& value, int indent = -1);

// Throws InputError(source[:line], ...) on bad input.
nlohmann::json parse_json(std::string_view text, const std::string& source, int max_depth = kMaxJsonDepth);

}  // namespace exportctl
