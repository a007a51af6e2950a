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

// What-if scenarios over the bundled rules (docs/impact.md): a version of a
// family supersedes it from its date, a lift ends what it names, country
// group changes apply from their dates on; every date pinned on both sides.
TEST(Scenario, SupersedesLiftsAndChangesGroupsFromTheirDates) {
  TempDir dir;
  const auto lift =
      dir.write("lift.yaml", "id: L\nkind: lift\ntitle: t\neffective_from: 2027-01-01\nlifts: [ac-hq]\n");
  const auto groups = dir.write("groups.yaml",
                                "id: G\nkind: country_group_changes\ntitle: t\neffective_from: 2027-01-01\n"
                                "changes:\n  - {country: MY, group: D5, change: add}\n"
                                "  - {country: CN, group: D5, change: remove, effective: 2027-03-01}\n"
                                "replace:\n  E2: [CU, KP]\n");
  const rules::RuleSet base = rules::RuleSet::load(exportctl::testing::rules_dir());
  const rules::RuleSet set = rules::RuleSet::load(exportctl::testing::rules_dir(), {lift, groups});
  const auto day_before = *Date::parse("2026-12-31");
  const auto from = *Date::parse("2027-01-01");
  // The headquarters family (ac-hq) ends the day before the lift.
  const rules::RuleVersion* hq = set.find("R2025-01-13-HQ");
  ASSERT_NE(hq, nullptr);
  EXPECT_TRUE(hq->in_force(day_before));
  EXPECT_FALSE(hq->in_force(from));
  EXPECT_TRUE(base.find("R2025-01-13-HQ")->in_force(from));
  EXPECT_FALSE(set.scenario_effects().empty());
  const rules::CountryGroups& g = set.country_groups();
  EXPECT_FALSE(g.contains("D5", "MY", day_before));
  EXPECT_TRUE(g.contains("D5", "MY", from));
  EXPECT_TRUE(g.contains("D5", "CN", *Date::parse("2027-02-28")));
  EXPECT_FALSE(g.contains("D5", "CN", *Date::parse("2027-03-01")));
  EXPECT_FALSE(g.contains("E2", "KP", day_before));
  EXPECT_TRUE(g.contains("E2", "KP", from));
  EXPECT_TRUE(g.contains("E2", "CU", from));
  // Membership before any scenario date is the folder's own.
  EXPECT_EQ(g.contains("D5", "NI", *Date::parse("2024-03-14")),
            base.country_groups().contains("D5", "NI", *Date::parse("2024-03-14")));
  EXPECT_TRUE(set.find("G")->hypothetical);
}

TEST(Scenario, ScenarioOnlyKindsAndFieldsAreCheckedWithTheirLine) {
  TempDir dir;
  const auto expect_problem = [&](const std::string& text, const std::string& fragment) {
    const auto file = dir.write("s.yaml", text);
    const auto problems = rules::RuleSet::validate(exportctl::testing::rules_dir(), {file});
    ASSERT_FALSE(problems.empty()) << text;
    EXPECT_NE(problems[0].where.find("s.yaml"), std::string::npos) << problems[0].where;
    EXPECT_NE(problems[0].message.find(fragment), std::string::npos) << problems[0].message;
  };
  expect_problem("id: S\nkind: lift\ntitle: t\neffective_from: 2027-01-01\nlifts: [NOPE]\n",
                 "'NOPE' names no");
  expect_problem("id: S\nkind: lift\ntitle: t\neffective_from: 2027-01-01\n", "'lifts': is required");
  expect_problem("id: S\nkind: metrics\ntitle: t\neffective_from: 2027-01-01\n", "a scenario may be");
  expect_problem(
      "id: S\nkind: country_group_changes\ntitle: t\neffective_from: 2027-01-01\nchanges:\n"
      "  - {country: MY, group: D9, change: add}\n",
      "must name a country group");
  expect_problem(
      "id: S\nkind: country_group_changes\ntitle: t\neffective_from: 2027-01-01\nchanges:\n"
      "  - {country: MY, group: D5, change: maybe}\n",
      "must be add or remove");
  expect_problem("id: CLS-2023\nkind: lift\ntitle: t\neffective_from: 2027-01-01\nlifts: [R2025-01-13-HQ]\n",
                 "duplicate id");
  // In a rules folder, the scenario-only kinds are refused.
  TempDir folder;
  folder.write("metrics.yaml", kMetrics);
  folder.write("lift.yaml",
               "id: L\nkind: lift\ntitle: t\neffective_from: 2027-01-01\nevidence: U\n"
               "citation: {note: x, url: 'https://example.org'}\nlifts: [R1]\n");
  const auto problems = rules::RuleSet::validate(folder.path());
  ASSERT_FALSE(problems.empty());
  EXPECT_NE(problems[0].message.find("for scenario files only"), std::string::npos) << problems[0].message;
}
