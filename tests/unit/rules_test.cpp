#include <gtest/gtest.h>

#include "core/error.h"
#include "rules/rules.h"
#include "test_util.h"

using namespace exportctl;
using exportctl::testing::TempDir;

namespace {

const char* kMetrics = R"(id: MET
kind: metrics
title: metrics
effective_from: 2022-10-21
evidence: PQ
citation: {fr: "88 FR 73458"}
precisions:
  - {name: fp8, bits: 8}
  - name: tf32
    readings: {exclude: null, container: 32}
    default_reading: exclude
)";

const char* kRule = R"(id: R1
kind: classification
family: fam
title: test rule
effective_from: 2023-11-17
evidence: PQ
citation: {fr: "88 FR 73458", fr_doc: "2023-23055"}
paragraphs:
  - id: 3A090.a.1
    when: "tpp >= 4800"
    outcome: {ic: 3A090.a, computer: 4A090.a, rank: 3}
)";

std::string expect_load_error(const TempDir& dir) {
  try {
    rules::RuleSet::load(dir.path());
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "rules loaded without error";
  return {};
}

}  // namespace

TEST(RuleSet, LoadsBundledRules) {
  const auto set = rules::RuleSet::load(exportctl::testing::rules_dir());
  ASSERT_NE(set.find("CLS-2022"), nullptr);
  ASSERT_NE(set.find("CLS-2023"), nullptr);
  ASSERT_NE(set.find("CLS-HBM-2024"), nullptr);
  const auto* cls2023 = set.find("CLS-2023");
  EXPECT_EQ(cls2023->citation.fr_doc, "2023-23055");
  EXPECT_EQ(cls2023->effective_from.str(), "2023-11-17");
  EXPECT_EQ(cls2023->section("paragraphs").size(), 4u);
  EXPECT_FALSE(set.metrics().precisions.empty());
  // Every bundled rule version carries a citation and an evidence level.
  for (const auto& v : set.versions()) {
    EXPECT_FALSE(v.citation.short_text().empty()) << v.id;
  }
}

TEST(RuleSet, InForceByDateAndBoundaries) {
  const auto set = rules::RuleSet::load(exportctl::testing::rules_dir());
  auto ids = [&](const char* date) {
    std::vector<std::string> out;
    for (const auto* v : set.in_force(*Date::parse(date), "classification")) out.push_back(v->id);
    return out;
  };
  EXPECT_TRUE(ids("2022-10-20").empty());
  EXPECT_EQ(ids("2022-10-21"), std::vector<std::string>{"CLS-2022"});
  EXPECT_EQ(ids("2023-11-16"), std::vector<std::string>{"CLS-2022"});
  EXPECT_EQ(ids("2023-11-17"), std::vector<std::string>{"CLS-2023"});
  EXPECT_EQ(ids("2024-12-02"), (std::vector<std::string>{"CLS-2023", "CLS-HBM-2024"}));
  const auto b = set.boundaries("classification");
  ASSERT_GE(b.size(), 3u);
  EXPECT_EQ(b[0].str(), "2022-10-21");
  EXPECT_EQ(b[1].str(), "2023-11-17");
}

TEST(RuleSet, NewRuleAddedAsDataIsUsedWithoutRecompiling) {
  TempDir dir;
  dir.write("metrics.yaml", kMetrics);
  dir.write("r1.yaml", kRule);
  const auto set = rules::RuleSet::load(dir.path());
  EXPECT_EQ(set.in_force(*Date::parse("2024-01-01"), "classification").size(), 1u);
}

TEST(RuleSet, MalformedYamlNamesFileAndLine) {
  TempDir dir;
  dir.write("metrics.yaml", kMetrics);
  dir.write("bad.yaml", "id: X\nkind: [classification\n");
  const std::string err = expect_load_error(dir);
  EXPECT_NE(err.find("bad.yaml:"), std::string::npos) << err;
  EXPECT_NE(err.find("YAML syntax"), std::string::npos) << err;
}

TEST(RuleSet, BadConditionNamesFileLineFieldAndColumn) {
  TempDir dir;
  dir.write("metrics.yaml", kMetrics);
  std::string rule = kRule;
  rule.replace(rule.find("tpp >= 4800"), 11, "tpp >= 48OO");
  dir.write("r1.yaml", rule);
  const std::string err = expect_load_error(dir);
  EXPECT_NE(err.find("r1.yaml:10"), std::string::npos) << err;
  EXPECT_NE(err.find("paragraphs[0].when"), std::string::npos) << err;
  EXPECT_NE(err.find("column 10"), std::string::npos) << err;
}

TEST(RuleSet, RejectsUnknownFieldsMissingCitationAndBadEvidence) {
  {
    TempDir dir;
    dir.write("metrics.yaml", kMetrics);
    std::string rule = kRule;
    rule.insert(rule.find("evidence:"), "efective_to: 2024-01-01\n");
    dir.write("r1.yaml", rule);
    EXPECT_NE(expect_load_error(dir).find("'efective_to': unknown field"), std::string::npos);
  }
  {
    TempDir dir;
    dir.write("metrics.yaml", kMetrics);
    std::string rule = kRule;
    rule.erase(rule.find("citation:"), rule.find("paragraphs:") - rule.find("citation:"));
    dir.write("r1.yaml", rule);
    EXPECT_NE(expect_load_error(dir).find("'citation': is required"), std::string::npos);
  }
  {
    TempDir dir;
    dir.write("metrics.yaml", kMetrics);
    std::string rule = kRule;
    rule.replace(rule.find("evidence: PQ"), 12, "evidence: X");
    dir.write("r1.yaml", rule);
    EXPECT_NE(expect_load_error(dir).find("not one of P, PQ, S, D, U"), std::string::npos);
  }
}

TEST(RuleSet, RejectsBadDatesAndOverlappingVersions) {
  {
    TempDir dir;
    dir.write("metrics.yaml", kMetrics);
    std::string rule = kRule;
    rule.replace(rule.find("2023-11-17"), 10, "2023-11-31");
    dir.write("r1.yaml", rule);
    EXPECT_NE(expect_load_error(dir).find("is not a date"), std::string::npos);
  }
  {
    TempDir dir;
    dir.write("metrics.yaml", kMetrics);
    dir.write("r1.yaml", kRule);
    std::string second = kRule;
    second.replace(second.find("id: R1"), 6, "id: R2");
    second.replace(second.find("2023-11-17"), 10, "2024-01-01");
    dir.write("r2.yaml", second);
    EXPECT_NE(expect_load_error(dir).find("overlaps R1"), std::string::npos);
  }
}

TEST(RuleSet, ValidateCollectsEveryProblem) {
  TempDir dir;
  dir.write("metrics.yaml", kMetrics);
  std::string a = kRule;
  a.replace(a.find("tpp >= 4800"), 11, "tpp >>= 1");
  dir.write("a.yaml", a);
  dir.write("b.yaml", "id: B\nkind: nonsense\n");
  const auto problems = rules::RuleSet::validate(dir.path());
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].where.find("a.yaml"), std::string::npos);
  EXPECT_NE(problems[1].message.find("unknown kind"), std::string::npos);
}

TEST(RuleSet, MissingFolderIsAnInputError) {
  EXPECT_THROW(rules::RuleSet::load("/nonexistent/rules"), InputError);
}

// Inputs the fuzzer once crashed on: each must now be a clean InputError.
TEST(RuleSet, FuzzRegressionsAreInputErrors) {
  int seen = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(EXPORTCTL_TEST_DATA) + "/fuzz-regressions")) {
    if (entry.path().filename().string().rfind("rules-", 0) != 0) continue;
    ++seen;
    EXPECT_THROW(
        rules::RuleSet::parse_version(exportctl::testing::read_file(entry.path()), entry.path().string()),
        InputError)
        << entry.path();
  }
  EXPECT_GT(seen, 0);
}
