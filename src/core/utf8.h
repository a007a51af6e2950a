#pragma once
// UTF-8 validity, checked where text enters from a source that does not
// check it itself (YAML files): JSON output of invalid UTF-8 would fail
// later, far from the input that caused it.

#include <string_view>

namespace exportctl {

// Well-formed UTF-8: no stray continuation bytes, overlong forms, surrogates
// or code points above U+10FFFF.
bool is_valid_utf8(std::string_view text);

// Length of the well-formed UTF-8 sequence starting at text[i] (i < size), or
// 0 when the bytes there are not one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

}  // namespace exportctl
