// The rule-condition language tested as a language: every operator,
// precedence, three-valued logic, traces, and errors with positions.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "rules/condition.h"
#include "rules/rules.h"

using namespace exportctl::rules;

namespace {

struct Fixture {
  Schema schema;
  int tpp, pd, dc, dest, name;
  Fixture() {
    tpp = schema.declare("tpp", ValueType::Number, "");
    pd = schema.declare("pd", ValueType::Number, "");
    dc = schema.declare("datacenter", ValueType::Bool, "");
    dest = schema.declare("dest", ValueType::String, "");
    name = schema.declare("name", ValueType::String, "");
    schema.declare_set("D1", "");
    schema.declare_set("D5", "");
    schema.declare_set("A6", "");
  }
};

class Groups : public SetResolver {
 public:
  bool contains(int, std::string_view set, std::string_view v) const override {
    if (set == "D1") return v == "CN" || v == "KH" || v == "MO";
    if (set == "D5") return v == "CN" || v == "IR";
    if (set == "A6") return v == "IL";
    return false;
  }
};

Tri eval(const std::string& text, std::vector<Value> in, const SetResolver* sets = nullptr) {
  Fixture f;
  return Condition::compile(text, f.schema).evaluate(in, sets);
}

std::vector<Value> inputs(std::optional<double> tpp, std::optional<double> pd, std::optional<bool> dc = true,
                          std::string_view dest = "US") {
  return {Value::maybe(tpp), Value::maybe(pd), Value::maybe(dc), Value::of(dest),
          Value::of(std::string_view("x"))};
}

}  // namespace

TEST(Condition, ComparisonOperators) {
  const auto in = inputs(4800, 5.92);
  EXPECT_EQ(eval("tpp >= 4800", in), Tri::True);
  EXPECT_EQ(eval("tpp > 4800", in), Tri::False);
  EXPECT_EQ(eval("tpp <= 4800", in), Tri::True);
  EXPECT_EQ(eval("tpp < 4800", in), Tri::False);
  EXPECT_EQ(eval("tpp == 4800", in), Tri::True);
  EXPECT_EQ(eval("tpp != 4800", in), Tri::False);
  EXPECT_EQ(eval("pd >= 5.92", in), Tri::True);
  EXPECT_EQ(eval("dest == \"US\"", in), Tri::True);
  EXPECT_EQ(eval("dest != 'US'", in), Tri::False);
  EXPECT_EQ(eval("datacenter == true", in), Tri::True);
}

TEST(Condition, AndBindsTighterThanOr) {
  // a or (b and c), not (a or b) and c
  const auto in = inputs(5000, 1.0);
  EXPECT_EQ(eval("tpp >= 4800 or tpp >= 1600 and pd >= 5.92", in), Tri::True);
  EXPECT_EQ(eval("(tpp >= 4800 or tpp >= 1600) and pd >= 5.92", in), Tri::False);
}

TEST(Condition, NotAndParentheses) {
  const auto in = inputs(1000, 1.0, false);
  EXPECT_EQ(eval("not datacenter and tpp < 4800", in), Tri::True);
  EXPECT_EQ(eval("not (tpp < 4800)", in), Tri::False);
  EXPECT_EQ(eval("not not datacenter", in), Tri::False);
}

TEST(Condition, Arithmetic) {
  const auto in = inputs(1000, 700);
  EXPECT_EQ(eval("tpp + pd >= 1700", in), Tri::True);
  EXPECT_EQ(eval("tpp - pd == 300", in), Tri::True);
  EXPECT_EQ(eval("tpp * 2 == 2000", in), Tri::True);
  EXPECT_EQ(eval("tpp / 4 == 250", in), Tri::True);
  EXPECT_EQ(eval("tpp + pd * 2 == 2400", in), Tri::True);  // * before +
  EXPECT_EQ(eval("tpp / 0 > 1", in), Tri::Unknown);        // undefined, not a crash
}

TEST(Condition, KleeneLogicWithMissingInputs) {
  const auto in = inputs(1000, std::nullopt);
  EXPECT_EQ(eval("pd >= 5.92", in), Tri::Unknown);
  EXPECT_EQ(eval("tpp >= 1600 and pd >= 5.92", in), Tri::False);  // false and unknown
  EXPECT_EQ(eval("tpp < 1600 or pd >= 5.92", in), Tri::True);     // true or unknown
  EXPECT_EQ(eval("tpp < 1600 and pd >= 5.92", in), Tri::Unknown);
  EXPECT_EQ(eval("not (pd >= 5.92)", in), Tri::Unknown);
  EXPECT_EQ(eval("datacenter", inputs(1, 1, std::nullopt)), Tri::Unknown);
}

TEST(Condition, SetMembershipWithUnionAndDifference) {
  Groups groups;
  EXPECT_EQ(eval("dest in D1 | D5", inputs(1, 1, true, "IR"), &groups), Tri::True);
  EXPECT_EQ(eval("dest in (D1 | D5 | [\"MO\"]) - A6", inputs(1, 1, true, "MO"), &groups), Tri::True);
  EXPECT_EQ(eval("dest in (D1 | D5) - A6", inputs(1, 1, true, "IL"), &groups), Tri::False);
  EXPECT_EQ(eval("dest in D1 & D5", inputs(1, 1, true, "KH"), &groups), Tri::False);
  EXPECT_EQ(eval("dest in D1 & D5", inputs(1, 1, true, "CN"), &groups), Tri::True);
  EXPECT_EQ(eval("dest in [\"CN\", \"MO\"]", inputs(1, 1, true, "MO")), Tri::True);
}

TEST(Condition, TraceRecordsEveryComparisonWithValues) {
  Fixture f;
  const auto c = Condition::compile("tpp >= 1600 and pd >= 5.92", f.schema);
  std::vector<Comparison> trace;
  const auto in = inputs(15832, 19.45);
  EXPECT_EQ(c.evaluate(in, nullptr, trace), Tri::True);
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_EQ(trace[0].test, "tpp >= 1600");
  EXPECT_EQ(trace[0].left, "tpp");
  EXPECT_DOUBLE_EQ(trace[0].left_value.number, 15832);
  EXPECT_EQ(trace[0].op, ">=");
  EXPECT_DOUBLE_EQ(trace[0].right_value.number, 1600);
  EXPECT_EQ(trace[0].result, Tri::True);
  EXPECT_EQ(trace[1].test, "pd >= 5.92");
}

TEST(Condition, TraceDoesNotShortCircuit) {
  Fixture f;
  const auto c = Condition::compile("tpp >= 4800 or pd >= 5.92", f.schema);
  std::vector<Comparison> trace;
  c.evaluate(inputs(5000, 1.0), nullptr, trace);
  EXPECT_EQ(trace.size(), 2u);
}

TEST(Condition, TraceOfNegatedBooleanInput) {
  Fixture f;
  const auto c = Condition::compile("not datacenter", f.schema);
  std::vector<Comparison> trace;
  EXPECT_EQ(c.evaluate(inputs(1, 1, true), nullptr, trace), Tri::False);
  ASSERT_EQ(trace.size(), 1u);
  EXPECT_EQ(trace[0].test, "not datacenter");
  EXPECT_EQ(trace[0].result, Tri::False);
}

TEST(Condition, ReportsVariablesRead) {
  Fixture f;
  const auto c = Condition::compile("pd >= 1 and tpp >= 2 or pd < 0", f.schema);
  EXPECT_EQ(c.variables(), (std::vector<int>{f.tpp, f.pd}));
}

struct BadCase {
  const char* text;
  std::size_t column;
  const char* fragment;
};

class ConditionErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(ConditionErrors, NamesTheColumn) {
  Fixture f;
  const BadCase& bad = GetParam();
  try {
    Condition::compile(bad.text, f.schema);
    FAIL() << "accepted: " << bad.text;
  } catch (const ConditionError& e) {
    EXPECT_EQ(e.column(), bad.column) << e.what();
    EXPECT_NE(std::string(e.what()).find(bad.fragment), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Language, ConditionErrors,
    ::testing::Values(BadCase{"", 1, "empty"}, BadCase{"tpp >= 48OO", 10, "unexpected 'O'"},
                      BadCase{"tpp >= ", 8, "end of condition"},
                      BadCase{"tpx >= 1", 1, "unknown input 'tpx'"}, BadCase{"(tpp >= 1", 1, "unclosed"},
                      BadCase{"tpp >= 1)", 9, "unexpected ')'"}, BadCase{"tpp = 1", 5, "=="},
                      BadCase{"tpp >= \"a\"", 8, "cannot compare"},
                      BadCase{"dest < \"a\"", 8, "needs numbers"}, BadCase{"tpp", 1, "true/false"},
                      BadCase{"tpp in D1", 1, "string on its left"}, BadCase{"dest in D9", 9, "unknown set"},
                      BadCase{"dest in []", 9, "empty set"}, BadCase{"tpp >= 1 and", 13, "end of condition"},
                      BadCase{"tpp >= 1 # x", 10, "unexpected character"},
                      BadCase{"name == 'x", 9, "unterminated"},
                      BadCase{"datacenter + 1 > 2", 1, "expected a number"}));

TEST(Condition, TraceNamesTheSetsOfAnInTest) {
  Fixture f;
  Groups groups;
  const auto c = Condition::compile("dest in (D1 | D5 | [\"MO\"]) - A6", f.schema);
  std::vector<Comparison> trace;
  EXPECT_EQ(c.evaluate(inputs(1, 1, true, "IL"), &groups, trace), Tri::False);
  ASSERT_EQ(trace.size(), 1u);
  const auto& sets = trace[0].sets;
  ASSERT_EQ(sets.size(), 4u);
  EXPECT_EQ(sets[0].set, "D1");
  EXPECT_FALSE(sets[0].member);
  EXPECT_FALSE(sets[0].subtracted);
  EXPECT_EQ(sets[2].set, "[\"MO\"]");
  EXPECT_EQ(sets[3].set, "A6");
  EXPECT_TRUE(sets[3].member);
  EXPECT_TRUE(sets[3].subtracted);
}

// Deep nesting is refused with an error, never a stack overflow (condition_fuzz
// found ~1,500 nested '(' overflowing the recursive parser).
TEST(Condition, RefusesNestingBeyondTheLimit) {
  Fixture f;
  const std::string ok =
      std::string(kMaxConditionDepth - 5, '(') + "tpp >= 1" + std::string(kMaxConditionDepth - 5, ')');
  EXPECT_EQ(Condition::compile(ok, f.schema).evaluate(inputs(2, 1)), Tri::True);
  for (const std::string& deep : {std::string(1500, '(') + "tpp >= 1" + std::string(1500, ')'),
                                  [] {
                                    std::string s = "tpp >= 1";
                                    for (int i = 0; i < 5000; ++i) s += " or tpp >= 1";
                                    return s;
                                  }(),
                                  [] {
                                    std::string s;
                                    for (int i = 0; i < 3000; ++i) s += "not ";
                                    return s + "datacenter";
                                  }(),
                                  "dest in " + std::string(2000, '(') + "D1" + std::string(2000, ')')}) {
    try {
      Condition::compile(deep, f.schema);
      FAIL() << "accepted a condition " << deep.size() << " characters long";
    } catch (const ConditionError& e) {
      EXPECT_NE(std::string(e.what()).find("nested more than"), std::string::npos) << e.what();
    }
  }
}

// Inputs condition_fuzz once crashed on: each must now be a clean ConditionError.
TEST(Condition, FuzzRegressionsAreConditionErrors) {
  int seen = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(EXPORTCTL_TEST_DATA) + "/fuzz-regressions")) {
    if (entry.path().filename().string().rfind("condition-", 0) != 0) continue;
    ++seen;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    EXPECT_THROW(Condition::compile(text, item_schema()), ConditionError) << entry.path();
  }
  EXPECT_GT(seen, 0);
}
