// Three-valued evaluation of compiled conditions, with an optional trace.

#include <algorithm>
#include <cmath>

#include "rules/condition_program.h"

namespace exportctl::rules {

using namespace detail;

namespace {

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
          if (v.kind == Value::Kind::String) set_tests(n.rhs, v.text, false, trace_->back().sets);
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
  // Membership of `v` in each leaf set, for explanations ("IL is in D4 but
  // also in A6, which is subtracted").
  void set_tests(int i, std::string_view v, bool subtracted, std::vector<SetTest>& out) const {
    const Node& n = node(i);
    switch (n.op) {
      case Op::SetName:
      case Op::SetList:
        out.push_back({std::string(p_.text.substr(n.begin, n.end - n.begin)), member(i, v), subtracted});
        return;
      case Op::SetDiff:
        set_tests(n.lhs, v, subtracted, out);
        set_tests(n.rhs, v, !subtracted, out);
        return;
      case Op::SetUnion:
      case Op::SetInter:
        set_tests(n.lhs, v, subtracted, out);
        set_tests(n.rhs, v, subtracted, out);
        return;
      default:
        return;
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
