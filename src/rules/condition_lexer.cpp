// Tokenizer of the condition language.

#include <cctype>
#include <charconv>
#include <cmath>

#include "rules/condition_program.h"

namespace exportctl::rules::detail {

void Lexer::advance() {
  while (pos_ < src_.size() && std::isspace(static_cast<unsigned char>(src_[pos_]))) ++pos_;
  tok_ = Token{};
  tok_.begin = pos_;
  if (pos_ >= src_.size()) {
    tok_.kind = Tok::End;
    tok_.end = pos_;
    return;
  }
  const char c = src_[pos_];
  auto single = [&](Tok k) {
    tok_.kind = k;
    tok_.text = std::string(1, c);
    ++pos_;
  };
  if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
    std::size_t start = pos_;
    while (pos_ < src_.size() && (std::isalnum(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '_'))
      ++pos_;
    tok_.kind = Tok::Ident;
    tok_.text = std::string(src_.substr(start, pos_ - start));
  } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
    std::size_t start = pos_;
    while (pos_ < src_.size() && (std::isdigit(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '.' ||
                                  src_[pos_] == 'e' || src_[pos_] == 'E' || src_[pos_] == '_' ||
                                  ((src_[pos_] == '+' || src_[pos_] == '-') && pos_ > start &&
                                   (src_[pos_ - 1] == 'e' || src_[pos_ - 1] == 'E'))))
      ++pos_;
    std::string digits;
    for (char d : src_.substr(start, pos_ - start))
      if (d != '_') digits.push_back(d);
    double value = 0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || !std::isfinite(value))
      fail(start, "malformed number '" + std::string(src_.substr(start, pos_ - start)) + "'");
    if (pos_ < src_.size() && (std::isalpha(static_cast<unsigned char>(src_[pos_])))) {
      fail(pos_, "unexpected '" + std::string(1, src_[pos_]) + "' after number");
    }
    tok_.kind = Tok::Number;
    tok_.number = value;
    tok_.text = std::string(src_.substr(start, pos_ - start));
  } else if (c == '"' || c == '\'') {
    const char quote = c;
    std::size_t start = pos_++;
    std::string value;
    while (pos_ < src_.size() && src_[pos_] != quote) value.push_back(src_[pos_++]);
    if (pos_ >= src_.size()) fail(start, "unterminated string");
    ++pos_;
    tok_.kind = Tok::String;
    tok_.text = std::move(value);
  } else if (c == '(') {
    single(Tok::LParen);
  } else if (c == ')') {
    single(Tok::RParen);
  } else if (c == '[') {
    single(Tok::LBracket);
  } else if (c == ']') {
    single(Tok::RBracket);
  } else if (c == ',') {
    single(Tok::Comma);
  } else {
    static constexpr std::string_view two[] = {">=", "<=", "==", "!="};
    for (auto t : two) {
      if (src_.substr(pos_, 2) == t) {
        tok_.kind = Tok::Op;
        tok_.text = std::string(t);
        pos_ += 2;
        tok_.end = pos_;
        return;
      }
    }
    if (std::string_view("<>+-*/|&").find(c) != std::string_view::npos) {
      single(Tok::Op);
    } else if (c == '=') {
      fail(pos_, "unexpected '=' (use '==' to compare)");
    } else {
      fail(pos_, "unexpected character '" + std::string(1, c) + "'");
    }
  }
  tok_.end = pos_;
}

}  // namespace exportctl::rules::detail
