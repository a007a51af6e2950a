#pragma once
// Internal to src/screen: the small byte-level text tests the normaliser,
// the aligner and retrieval share, and the token kinds that are vocabulary.

#include <algorithm>
#include <string>
#include <string_view>

#include "screen/scoring.h"

namespace exportctl::screen::text {

inline bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}
inline bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
inline std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = ascii_lower(ch);
  return out;
}

// Descriptor, legal-form and stop words: the kinds a typo, split or join
// may be read into, and that a brand may be written across.
inline bool vocabulary_kind(TokenKind k) {
  return k == TokenKind::Descriptor || k == TokenKind::LegalForm || k == TokenKind::Stopword;
}

// Separator of the raw words of a vocabulary phrase key.
inline constexpr char kPhraseSep = '\x1f';

}  // namespace exportctl::screen::text
