#pragma once
// Internal to the condition language: the compiled form (a flat node array,
// children by index) shared by the lexer, the parser and the evaluator.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rules/condition.h"

namespace exportctl::rules {
namespace detail {

enum class Op : std::uint8_t {
  // boolean-valued
  Or,
  And,
  Not,
  Less,
  LessEq,
  Greater,
  GreaterEq,
  Equal,
  NotEqual,
  In,
  BoolVar,
  BoolLit,
  // value-valued
  Number,
  String,
  Var,
  Add,
  Sub,
  Mul,
  Div,
  // set-valued (only under In)
  SetName,
  SetList,
  SetUnion,
  SetDiff,
  SetInter,
};

struct Node {
  Op op = Op::BoolLit;
  ValueType type = ValueType::Bool;  // static type of value-valued nodes
  int lhs = -1;
  int rhs = -1;
  int slot = -1;
  double number = 0;
  bool boolean = false;
  std::string text;                  // string literal or set name
  std::vector<std::string> members;  // SetList
  std::size_t begin = 0, end = 0;    // source span
  int depth = 1;                     // height of the subtree (bounded by kMaxConditionDepth)
};

inline Node make_node(Op op) {
  Node n;
  n.op = op;
  return n;
}

inline bool is_comparison(Op op) {
  return op == Op::Less || op == Op::LessEq || op == Op::Greater || op == Op::GreaterEq || op == Op::Equal ||
         op == Op::NotEqual;
}

inline std::string_view op_text(Op op) {
  switch (op) {
    case Op::Less:
      return "<";
    case Op::LessEq:
      return "<=";
    case Op::Greater:
      return ">";
    case Op::GreaterEq:
      return ">=";
    case Op::Equal:
      return "==";
    case Op::NotEqual:
      return "!=";
    case Op::In:
      return "in";
    default:
      return "";
  }
}

// --- tokens ------------------------------------------------------------------

enum class Tok { End, Ident, Number, String, LParen, RParen, LBracket, RBracket, Comma, Op };

struct Token {
  Tok kind = Tok::End;
  std::string text;
  double number = 0;
  std::size_t begin = 0, end = 0;
};

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) { advance(); }
  const Token& peek() const { return tok_; }
  Token take() {
    Token t = tok_;
    advance();
    return t;
  }

 private:
  [[noreturn]] void fail(std::size_t pos, const std::string& msg) const {
    throw ConditionError(pos + 1, msg);
  }
  void advance();

  std::string_view src_;
  std::size_t pos_ = 0;
  Token tok_;
};

}  // namespace detail

struct Condition::Program {
  std::string text;
  std::vector<detail::Node> nodes;
  int root = -1;
};

}  // namespace exportctl::rules
