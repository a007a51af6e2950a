#include "rules/condition.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace exportctl::rules {

std::string_view to_string(Tri value) {
  switch (value) {
    case Tri::False:
      return "false";
    case Tri::True:
      return "true";
    case Tri::Unknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view to_string(ValueType type) {
  switch (type) {
    case ValueType::Number:
      return "number";
    case ValueType::Bool:
      return "bool";
    case ValueType::String:
      return "string";
  }
  return "?";
}

TraceValue TraceValue::from(const Value& v) {
  TraceValue t;
  t.kind = v.kind;
  t.number = v.number;
  t.boolean = v.boolean;
  t.text = std::string(v.text);
  return t;
}

std::string TraceValue::str() const {
  switch (kind) {
    case Value::Kind::Unknown:
      return "unknown";
    case Value::Kind::Bool:
      return boolean ? "true" : "false";
    case Value::Kind::String:
      return "\"" + text + "\"";
    case Value::Kind::Number: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.6g", number);
      return buf;
    }
  }
  return "unknown";
}

int Schema::declare(std::string name, ValueType type, std::string description) {
  variables_.push_back({std::move(name), type, std::move(description)});
  return static_cast<int>(variables_.size() - 1);
}

void Schema::declare_set(std::string name, std::string description) {
  sets_.push_back({std::move(name), ValueType::String, std::move(description)});
}

std::optional<int> Schema::slot(std::string_view name) const {
  for (std::size_t i = 0; i < variables_.size(); ++i)
    if (variables_[i].name == name) return static_cast<int>(i);
  return std::nullopt;
}

std::optional<int> Schema::set_index(std::string_view name) const {
  for (std::size_t i = 0; i < sets_.size(); ++i)
    if (sets_[i].name == name) return static_cast<int>(i);
  return std::nullopt;
}

bool Schema::has_set(std::string_view name) const {
  return std::any_of(sets_.begin(), sets_.end(), [&](const auto& s) { return s.name == name; });
}

// ---------------------------------------------------------------------------
// Program representation: a flat node array; children are indices.

namespace {

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
};

Node make_node(Op op) {
  Node n;
  n.op = op;
  return n;
}

bool is_comparison(Op op) {
  return op == Op::Less || op == Op::LessEq || op == Op::Greater || op == Op::GreaterEq || op == Op::Equal ||
         op == Op::NotEqual;
}

std::string_view op_text(Op op) {
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

// --- tokenizer -------------------------------------------------------------

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
  void advance() {
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
      while (pos_ < src_.size() &&
             (std::isalnum(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '_'))
        ++pos_;
      tok_.kind = Tok::Ident;
      tok_.text = std::string(src_.substr(start, pos_ - start));
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      std::size_t start = pos_;
      while (pos_ < src_.size() &&
             (std::isdigit(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '.' ||
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

  std::string_view src_;
  std::size_t pos_ = 0;
  Token tok_;
};

}  // namespace

struct Condition::Program {
  std::string text;
  std::vector<Node> nodes;
  int root = -1;
};

namespace {

class Parser {
 public:
  Parser(std::string_view src, const Schema& schema, std::vector<Node>& nodes)
      : src_(src), lex_(src), schema_(schema), nodes_(nodes) {}

  int parse() {
    if (lex_.peek().kind == Tok::End) throw ConditionError(1, "empty condition");
    const int root = parse_or();
    if (lex_.peek().kind != Tok::End) unexpected();
    require_bool(root);
    return root;
  }

 private:
  [[noreturn]] void unexpected() const {
    const Token& t = lex_.peek();
    if (t.kind == Tok::End) throw ConditionError(t.begin + 1, "unexpected end of condition");
    throw ConditionError(t.begin + 1, "unexpected '" + t.text + "'");
  }
  [[noreturn]] void fail(const Node& n, const std::string& msg) const {
    throw ConditionError(n.begin + 1, msg);
  }
  bool is_keyword(std::string_view word) const {
    return lex_.peek().kind == Tok::Ident && lex_.peek().text == word;
  }
  bool is_op(std::string_view op) const { return lex_.peek().kind == Tok::Op && lex_.peek().text == op; }
  int add(Node n) {
    nodes_.push_back(std::move(n));
    return static_cast<int>(nodes_.size() - 1);
  }
  int binary(Op op, int lhs, int rhs, ValueType type) {
    Node n = make_node(op);
    n.type = type;
    n.lhs = lhs;
    n.rhs = rhs;
    n.begin = nodes_[static_cast<std::size_t>(lhs)].begin;
    n.end = nodes_[static_cast<std::size_t>(rhs)].end;
    return add(std::move(n));
  }
  const Node& node(int i) const { return nodes_[static_cast<std::size_t>(i)]; }
  bool is_bool_node(int i) const {
    const Op op = node(i).op;
    return op == Op::Or || op == Op::And || op == Op::Not || is_comparison(op) || op == Op::In ||
           op == Op::BoolVar || op == Op::BoolLit;
  }
  void require_bool(int i) const {
    if (!is_bool_node(i))
      fail(node(i), "'" + std::string(src_.substr(node(i).begin, node(i).end - node(i).begin)) + "' is a " +
                        std::string(to_string(node(i).type)) + ", a true/false test is needed here");
  }
  void require_value(int i, ValueType type) const {
    if (is_bool_node(i) || node(i).type != type)
      fail(node(i), "expected a " + std::string(to_string(type)) + " here");
  }

  int parse_or() {
    int lhs = parse_and();
    while (is_keyword("or")) {
      lex_.take();
      int rhs = parse_and();
      require_bool(lhs);
      require_bool(rhs);
      lhs = binary(Op::Or, lhs, rhs, ValueType::Bool);
    }
    return lhs;
  }
  int parse_and() {
    int lhs = parse_not();
    while (is_keyword("and")) {
      lex_.take();
      int rhs = parse_not();
      require_bool(lhs);
      require_bool(rhs);
      lhs = binary(Op::And, lhs, rhs, ValueType::Bool);
    }
    return lhs;
  }
  int parse_not() {
    if (is_keyword("not")) {
      const Token t = lex_.take();
      int operand = parse_not();
      require_bool(operand);
      Node n = make_node(Op::Not);
      n.lhs = operand;
      n.begin = t.begin;
      n.end = node(operand).end;
      return add(std::move(n));
    }
    return parse_comparison();
  }
  int parse_comparison() {
    int lhs = parse_sum();
    static const std::unordered_map<std::string, Op> ops = {{"<", Op::Less},    {"<=", Op::LessEq},
                                                            {">", Op::Greater}, {">=", Op::GreaterEq},
                                                            {"==", Op::Equal},  {"!=", Op::NotEqual}};
    if (lex_.peek().kind == Tok::Op) {
      auto it = ops.find(lex_.peek().text);
      if (it == ops.end()) return lhs;
      lex_.take();
      int rhs = parse_sum();
      const Node& l = node(lhs);
      const Node& r = node(rhs);
      const bool lb = is_bool_node(lhs), rb = is_bool_node(rhs);
      const ValueType lt = lb ? ValueType::Bool : l.type;
      const ValueType rt = rb ? ValueType::Bool : r.type;
      if (lt != rt)
        fail(r, "cannot compare a " + std::string(to_string(lt)) + " with a " + std::string(to_string(rt)));
      if (lt != ValueType::Number && it->second != Op::Equal && it->second != Op::NotEqual)
        fail(r,
             "'" + it->first + "' needs numbers; " + std::string(to_string(lt)) + "s allow only == and !=");
      if (lb && !(l.op == Op::BoolVar || l.op == Op::BoolLit))
        fail(l, "compare boolean inputs directly, not sub-conditions");
      return binary(it->second, lhs, rhs, ValueType::Bool);
    }
    if (is_keyword("in")) {
      lex_.take();
      const Node& l = node(lhs);
      if (is_bool_node(lhs) || l.type != ValueType::String) fail(l, "'in' needs a string on its left");
      int set = parse_set_expr();
      return binary(Op::In, lhs, set, ValueType::Bool);
    }
    return lhs;
  }
  int parse_sum() {
    int lhs = parse_product();
    while (is_op("+") || is_op("-")) {
      const Op op = lex_.take().text == "+" ? Op::Add : Op::Sub;
      int rhs = parse_product();
      require_value(lhs, ValueType::Number);
      require_value(rhs, ValueType::Number);
      lhs = binary(op, lhs, rhs, ValueType::Number);
    }
    return lhs;
  }
  int parse_product() {
    int lhs = parse_atom();
    while (is_op("*") || is_op("/")) {
      const Op op = lex_.take().text == "*" ? Op::Mul : Op::Div;
      int rhs = parse_atom();
      require_value(lhs, ValueType::Number);
      require_value(rhs, ValueType::Number);
      lhs = binary(op, lhs, rhs, ValueType::Number);
    }
    return lhs;
  }
  int parse_atom() {
    const Token& t = lex_.peek();
    switch (t.kind) {
      case Tok::Number: {
        Token tok = lex_.take();
        Node n = make_node(Op::Number);
        n.type = ValueType::Number;
        n.number = tok.number;
        n.begin = tok.begin;
        n.end = tok.end;
        return add(std::move(n));
      }
      case Tok::String: {
        Token tok = lex_.take();
        Node n = make_node(Op::String);
        n.type = ValueType::String;
        n.text = tok.text;
        n.begin = tok.begin;
        n.end = tok.end;
        return add(std::move(n));
      }
      case Tok::LParen: {
        const Token open = lex_.take();
        int inner = parse_or();
        if (lex_.peek().kind != Tok::RParen) {
          if (lex_.peek().kind == Tok::End) throw ConditionError(open.begin + 1, "unclosed '('");
          unexpected();
        }
        const Token close = lex_.take();
        nodes_[static_cast<std::size_t>(inner)].begin = open.begin;
        nodes_[static_cast<std::size_t>(inner)].end = close.end;
        return inner;
      }
      case Tok::Ident: {
        if (t.text == "and" || t.text == "or" || t.text == "not" || t.text == "in") unexpected();
        Token tok = lex_.take();
        Node n = make_node(Op::Var);
        n.begin = tok.begin;
        n.end = tok.end;
        if (tok.text == "true" || tok.text == "false") {
          n.op = Op::BoolLit;
          n.boolean = tok.text == "true";
          return add(std::move(n));
        }
        const auto slot = schema_.slot(tok.text);
        if (!slot) {
          std::string known;
          for (const auto& v : schema_.variables()) known += (known.empty() ? "" : ", ") + v.name;
          throw ConditionError(tok.begin + 1, "unknown input '" + tok.text + "' (known: " + known + ")");
        }
        n.slot = *slot;
        n.text = tok.text;
        n.type = schema_.variables()[static_cast<std::size_t>(*slot)].type;
        if (n.type == ValueType::Bool) n.op = Op::BoolVar;
        return add(std::move(n));
      }
      default:
        unexpected();
    }
  }
  int parse_set_expr() {
    int lhs = parse_set_atom();
    while (is_op("|") || is_op("-") || is_op("&")) {
      const std::string o = lex_.take().text;
      const Op op = o == "|" ? Op::SetUnion : o == "-" ? Op::SetDiff : Op::SetInter;
      int rhs = parse_set_atom();
      lhs = binary(op, lhs, rhs, ValueType::String);
    }
    return lhs;
  }
  int parse_set_atom() {
    const Token& t = lex_.peek();
    if (t.kind == Tok::Ident) {
      Token tok = lex_.take();
      if (!schema_.has_set(tok.text)) {
        std::string known;
        for (const auto& s : schema_.sets()) known += (known.empty() ? "" : ", ") + s.name;
        throw ConditionError(tok.begin + 1, "unknown set '" + tok.text + "'" +
                                                (known.empty() ? "" : " (known: " + known + ")"));
      }
      Node n = make_node(Op::SetName);
      n.text = tok.text;
      n.slot = *schema_.set_index(tok.text);
      n.begin = tok.begin;
      n.end = tok.end;
      return add(std::move(n));
    }
    if (t.kind == Tok::LBracket) {
      Token open = lex_.take();
      Node n = make_node(Op::SetList);
      n.begin = open.begin;
      while (lex_.peek().kind != Tok::RBracket) {
        if (lex_.peek().kind != Tok::String) unexpected();
        n.members.push_back(lex_.take().text);
        if (lex_.peek().kind == Tok::Comma) {
          lex_.take();
        } else if (lex_.peek().kind != Tok::RBracket) {
          unexpected();
        }
      }
      n.end = lex_.take().end;
      if (n.members.empty()) throw ConditionError(open.begin + 1, "empty set literal");
      return add(std::move(n));
    }
    if (t.kind == Tok::LParen) {
      const Token open = lex_.take();
      int inner = parse_set_expr();
      if (lex_.peek().kind != Tok::RParen) {
        if (lex_.peek().kind == Tok::End) throw ConditionError(open.begin + 1, "unclosed '('");
        unexpected();
      }
      const Token close = lex_.take();
      nodes_[static_cast<std::size_t>(inner)].begin = open.begin;
      nodes_[static_cast<std::size_t>(inner)].end = close.end;
      return inner;
    }
    unexpected();
  }

  std::string_view src_;
  Lexer lex_;
  const Schema& schema_;
  std::vector<Node>& nodes_;
};

// --- evaluation -------------------------------------------------------------

Tri tri(bool b) {
  return b ? Tri::True : Tri::False;
}

class Evaluator {
 public:
  Evaluator(const Condition::Program& p, std::span<const Value> inputs, const SetResolver* sets,
            std::vector<Comparison>* trace)
      : p_(p), inputs_(inputs), sets_(sets), trace_(trace) {}

  Tri test(int i) const {
    const Node& n = p_.nodes[static_cast<std::size_t>(i)];
    switch (n.op) {
      case Op::Or: {
        const Tri a = test(n.lhs);
        if (a == Tri::True && !trace_) return Tri::True;
        const Tri b = test(n.rhs);
        if (a == Tri::True || b == Tri::True) return Tri::True;
        if (a == Tri::Unknown || b == Tri::Unknown) return Tri::Unknown;
        return Tri::False;
      }
      case Op::And: {
        const Tri a = test(n.lhs);
        if (a == Tri::False && !trace_) return Tri::False;
        const Tri b = test(n.rhs);
        if (a == Tri::False || b == Tri::False) return Tri::False;
        if (a == Tri::Unknown || b == Tri::Unknown) return Tri::Unknown;
        return Tri::True;
      }
      case Op::Not: {
        const Node& operand = node(n.lhs);
        if (operand.op == Op::BoolVar) {
          // Record "not datacenter" as one test rather than its positive form.
          const Value& v = input(operand.slot);
          const Tri r = v.kind == Value::Kind::Bool ? tri(!v.boolean) : Tri::Unknown;
          if (trace_) record(n, operand, v, "is", Value::of(false), r, "false");
          return r;
        }
        const Tri a = test(n.lhs);
        return a == Tri::Unknown ? a : tri(a == Tri::False);
      }
      case Op::BoolLit:
        return tri(n.boolean);
      case Op::BoolVar: {
        const Value& v = input(n.slot);
        const Tri r = v.kind == Value::Kind::Bool ? tri(v.boolean) : Tri::Unknown;
        if (trace_) record(n, n, v, "is", Value::of(true), r, "true");
        return r;
      }
      case Op::In: {
        const Node& l = node(n.lhs);
        const Value v = value(n.lhs);
        Tri r = Tri::Unknown;
        if (v.kind == Value::Kind::String) r = tri(member(n.rhs, v.text));
        if (trace_) {
          const Node& s = node(n.rhs);
          record(n, l, v, "in", Value::unknown(), r, std::string(p_.text.substr(s.begin, s.end - s.begin)));
        }
        return r;
      }
      default:
        break;
    }
    // comparisons
    const Value a = value(n.lhs);
    const Value b = value(n.rhs);
    Tri r = Tri::Unknown;
    if (a.known() && b.known() && a.kind == b.kind) {
      switch (a.kind) {
        case Value::Kind::Number:
          r = compare(n.op, a.number, b.number);
          break;
        case Value::Kind::String:
          r = tri(n.op == Op::Equal ? a.text == b.text : a.text != b.text);
          break;
        case Value::Kind::Bool:
          r = tri(n.op == Op::Equal ? a.boolean == b.boolean : a.boolean != b.boolean);
          break;
        case Value::Kind::Unknown:
          break;
      }
    }
    if (trace_) {
      const Node& rn = node(n.rhs);
      record(n, node(n.lhs), a, op_text(n.op), b, r,
             std::string(p_.text.substr(rn.begin, rn.end - rn.begin)));
    }
    return r;
  }

 private:
  const Node& node(int i) const { return p_.nodes[static_cast<std::size_t>(i)]; }
  const Value& input(int slot) const {
    static const Value missing;
    if (slot < 0 || static_cast<std::size_t>(slot) >= inputs_.size()) return missing;
    return inputs_[static_cast<std::size_t>(slot)];
  }
  static Tri compare(Op op, double a, double b) {
    switch (op) {
      case Op::Less:
        return tri(a < b);
      case Op::LessEq:
        return tri(a <= b);
      case Op::Greater:
        return tri(a > b);
      case Op::GreaterEq:
        return tri(a >= b);
      case Op::Equal:
        return tri(a == b);
      case Op::NotEqual:
        return tri(a != b);
      default:
        return Tri::Unknown;
    }
  }
  Value value(int i) const {
    const Node& n = node(i);
    switch (n.op) {
      case Op::Number:
        return Value::of(n.number);
      case Op::String:
        return Value::of(std::string_view(n.text));
      case Op::BoolLit:
        return Value::of(n.boolean);
      case Op::Var:
      case Op::BoolVar:
        return input(n.slot);
      case Op::Add:
      case Op::Sub:
      case Op::Mul:
      case Op::Div: {
        const Value a = value(n.lhs);
        const Value b = value(n.rhs);
        if (a.kind != Value::Kind::Number || b.kind != Value::Kind::Number) return Value::unknown();
        double r = 0;
        if (n.op == Op::Add) r = a.number + b.number;
        if (n.op == Op::Sub) r = a.number - b.number;
        if (n.op == Op::Mul) r = a.number * b.number;
        if (n.op == Op::Div) {
          if (b.number == 0) return Value::unknown();
          r = a.number / b.number;
        }
        return std::isfinite(r) ? Value::of(r) : Value::unknown();
      }
      default:
        return Value::unknown();
    }
  }
  bool member(int i, std::string_view v) const {
    const Node& n = node(i);
    switch (n.op) {
      case Op::SetName:
        return sets_ != nullptr && sets_->contains(n.slot, n.text, v);
      case Op::SetList:
        return std::find(n.members.begin(), n.members.end(), v) != n.members.end();
      case Op::SetUnion:
        return member(n.lhs, v) || member(n.rhs, v);
      case Op::SetInter:
        return member(n.lhs, v) && member(n.rhs, v);
      case Op::SetDiff:
        return member(n.lhs, v) && !member(n.rhs, v);
      default:
        return false;
    }
  }
  void record(const Node& whole, const Node& left, const Value& lv, std::string_view op, const Value& rv,
              Tri r, std::string right_text) const {
    Comparison c;
    c.test = std::string(p_.text.substr(whole.begin, whole.end - whole.begin));
    c.left = std::string(p_.text.substr(left.begin, left.end - left.begin));
    c.left_value = TraceValue::from(lv);
    c.op = std::string(op);
    c.right = std::move(right_text);
    c.right_value = TraceValue::from(rv);
    c.result = r;
    trace_->push_back(std::move(c));
  }

  const Condition::Program& p_;
  std::span<const Value> inputs_;
  const SetResolver* sets_;
  std::vector<Comparison>* trace_;
};

}  // namespace

Condition::Condition() = default;
Condition::~Condition() = default;
Condition::Condition(const Condition&) = default;
Condition& Condition::operator=(const Condition&) = default;
Condition::Condition(Condition&&) noexcept = default;
Condition& Condition::operator=(Condition&&) noexcept = default;

Condition Condition::compile(std::string_view text, const Schema& schema) {
  auto program = std::make_shared<Program>();
  program->text = std::string(text);
  Parser parser(program->text, schema, program->nodes);
  program->root = parser.parse();
  Condition c;
  c.program_ = std::move(program);
  return c;
}

Tri Condition::evaluate(std::span<const Value> inputs, const SetResolver* sets) const {
  if (!program_) return Tri::Unknown;
  return Evaluator(*program_, inputs, sets, nullptr).test(program_->root);
}

Tri Condition::evaluate(std::span<const Value> inputs, const SetResolver* sets,
                        std::vector<Comparison>& trace) const {
  if (!program_) return Tri::Unknown;
  return Evaluator(*program_, inputs, sets, &trace).test(program_->root);
}

const std::string& Condition::text() const {
  static const std::string none;
  return program_ ? program_->text : none;
}

std::vector<int> Condition::variables() const {
  std::vector<int> slots;
  if (!program_) return slots;
  for (const Node& n : program_->nodes)
    if (n.slot >= 0 && n.op != Op::SetName) slots.push_back(n.slot);
  std::sort(slots.begin(), slots.end());
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
  return slots;
}

bool Condition::empty() const {
  return !program_;
}

}  // namespace exportctl::rules
