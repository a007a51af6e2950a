#pragma once
// The rule-condition language: small boolean expressions over named inputs,
// e.g. `tpp >= 4800 or (tpp >= 1600 and pd >= 5.92)` or
// `dest in (D1 | D4 | D5 | ["MO"]) - (A5 | A6)`. Grammar in docs/rules.md.
//
// A Condition is compiled once against a Schema (which names the variables and
// sets it may use, with their types) and is then immutable and safe to evaluate
// from many threads. Evaluation uses three-valued (Kleene) logic: a comparison
// with a missing input is Unknown, `false and unknown` is false, `true or
// unknown` is true, so a verdict is reached whenever the missing figure cannot
// change it. With a trace, every comparison is recorded with its actual values.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace exportctl::rules {

enum class Tri : std::uint8_t { False, True, Unknown };
std::string_view to_string(Tri value);

enum class ValueType : std::uint8_t { Number, Bool, String };
std::string_view to_string(ValueType type);

// A runtime input. `text` must outlive the evaluation that reads it.
struct Value {
  enum class Kind : std::uint8_t { Unknown, Number, Bool, String };
  double number = 0;
  std::string_view text;
  Kind kind = Kind::Unknown;
  bool boolean = false;

  static Value unknown() { return {}; }
  static Value of(double v) { return {v, {}, Kind::Number, false}; }
  static Value of(bool v) { return {0, {}, Kind::Bool, v}; }
  static Value of(std::string_view v) { return {0, v, Kind::String, false}; }
  static Value of(const char*) = delete;  // avoid bool conversion surprises
  static Value maybe(std::optional<double> v) { return v ? of(*v) : unknown(); }
  static Value maybe(std::optional<bool> v) { return v ? of(*v) : unknown(); }
  bool known() const { return kind != Kind::Unknown; }
};

// An owned copy of a Value for traces.
struct TraceValue {
  Value::Kind kind = Value::Kind::Unknown;
  double number = 0;
  bool boolean = false;
  std::string text;
  static TraceValue from(const Value& v);
  std::string str() const;  // "15832", "true", "\"CN\"", "unknown"
};

struct VariableDecl {
  std::string name;
  ValueType type;
  std::string description;
};

// Names the variables (with a slot index each) and named sets a condition may use.
class Schema {
 public:
  int declare(std::string name, ValueType type, std::string description);
  void declare_set(std::string name, std::string description);
  std::optional<int> slot(std::string_view name) const;
  bool has_set(std::string_view name) const;
  std::optional<int> set_index(std::string_view name) const;
  const std::vector<VariableDecl>& variables() const { return variables_; }
  const std::vector<VariableDecl>& sets() const { return sets_; }
  std::size_t size() const { return variables_.size(); }

 private:
  std::vector<VariableDecl> variables_;
  std::vector<VariableDecl> sets_;
};

// Answers membership in named sets (for example country groups as of a date).
class SetResolver {
 public:
  virtual ~SetResolver() = default;
  // `index` is the set's position in the Schema the condition was compiled
  // against (declare_set order), so resolvers can avoid name lookups.
  virtual bool contains(int index, std::string_view set, std::string_view value) const = 0;
};

// For an `in` test: whether the value is in one named set (or set literal)
// of the expression, and whether that set is subtracted ("- (A5 | A6)").
struct SetTest {
  std::string set;  // "D4", "[\"MO\"]"
  bool member = false;
  bool subtracted = false;
};

// One recorded comparison (or boolean input, or set membership).
struct Comparison {
  std::string test;  // source text, e.g. "tpp >= 4800"
  std::string left;  // left operand text, e.g. "tpp"
  TraceValue left_value;
  std::string op;     // ">=", "in", "is" (boolean input)
  std::string right;  // right operand text, e.g. "4800" or "D4 | D5"
  TraceValue right_value;
  Tri result = Tri::Unknown;
  std::vector<SetTest> sets;  // `in` tests only: each set of the expression
};

// Deepest nesting of parentheses, 'not's and operators a condition may have;
// deeper input is refused with a ConditionError rather than risking the stack.
inline constexpr int kMaxConditionDepth = 100;

class ConditionError : public std::runtime_error {
 public:
  ConditionError(std::size_t column, const std::string& message)
      : std::runtime_error("column " + std::to_string(column) + ": " + message), column_(column) {}
  std::size_t column() const { return column_; }

 private:
  std::size_t column_;
};

class Condition {
 public:
  Condition();
  ~Condition();
  Condition(const Condition&);
  Condition& operator=(const Condition&);
  Condition(Condition&&) noexcept;
  Condition& operator=(Condition&&) noexcept;

  // Parses and type-checks; throws ConditionError with a 1-based column.
  static Condition compile(std::string_view text, const Schema& schema);

  Tri evaluate(std::span<const Value> inputs, const SetResolver* sets = nullptr) const;
  // Evaluates every operand (no short-circuit) and appends each comparison.
  Tri evaluate(std::span<const Value> inputs, const SetResolver* sets, std::vector<Comparison>& trace) const;

  const std::string& text() const;
  // Slots of the variables this condition reads, ascending, unique.
  std::vector<int> variables() const;
  bool empty() const;

  struct Program;  // opaque compiled form

 private:
  std::shared_ptr<const Program> program_;
};

}  // namespace exportctl::rules
