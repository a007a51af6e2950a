// Parser and type checker of the condition language (grammar in docs/rules.md).

#include <algorithm>
#include <unordered_map>

#include "rules/condition_program.h"

namespace exportctl::rules {

using namespace detail;

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
    if (n.depth > kMaxConditionDepth)
      fail(n, "condition nested more than " + std::to_string(kMaxConditionDepth) + " levels deep");
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
    n.depth = 1 + std::max(node(lhs).depth, node(rhs).depth);
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
      const Nesting guard(nesting_, t.begin);
      int operand = parse_not();
      require_bool(operand);
      Node n = make_node(Op::Not);
      n.lhs = operand;
      n.begin = t.begin;
      n.end = node(operand).end;
      n.depth = 1 + node(operand).depth;
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
        const Nesting guard(nesting_, open.begin);
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
      const char o = is_op("|") ? '|' : is_op("-") ? '-' : '&';
      lex_.take();
      const Op op = o == '|' ? Op::SetUnion : o == '-' ? Op::SetDiff : Op::SetInter;
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
      const Nesting guard(nesting_, open.begin);
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

  // Bounds the recursion of nested parentheses and 'not's, so that no input
  // can exhaust the stack (found by condition_fuzz on ~1,500 nested '(').
  class Nesting {
   public:
    Nesting(int& depth, std::size_t column) : depth_(depth) {
      if (++depth_ > kMaxConditionDepth)
        throw ConditionError(
            column + 1, "condition nested more than " + std::to_string(kMaxConditionDepth) + " levels deep");
    }
    ~Nesting() { --depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    int& depth_;
  };

  std::string_view src_;
  int nesting_ = 0;
  Lexer lex_;
  const Schema& schema_;
  std::vector<Node>& nodes_;
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

}  // namespace exportctl::rules
