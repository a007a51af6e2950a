#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <filesystem>
#include <fstream>
#include <random>

#include "classify/classify.h"
#include "core/error.h"
#include "test_util.h"

using namespace exportctl;
using classify::ItemSpec;

namespace {

const rules::RuleSet& bundled_rules() {
  static const rules::RuleSet set = rules::RuleSet::load(exportctl::testing::rules_dir());
  return set;
}

ItemSpec parse(const std::string& json) {
  return classify::parse_spec(json, "spec.json", false, bundled_rules().metrics());
}

std::string parse_error(const std::string& json) {
  try {
    parse(json);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "accepted: " << json;
  return {};
}

ItemSpec ic(double tops16, std::optional<double> area, bool datacenter = true) {
  ItemSpec s;
  s.name = "x";
  s.datacenter = datacenter;
  s.units.push_back({{{"fp16", tops16}}});
  if (area) s.logic_dies.push_back({*area, true});
  return s;
}

}  // namespace

TEST(Metrics, BisWorkedExamplesGiveTpp4800) {
  // Tech. Note 2: 600 TOPS at 8 bits, or 300 TFLOPS at 16 bits (datasheet figures, MAC counted as 2).
  for (const char* spec : {R"({"name":"a","kind":"ic","datacenter":true,"dense_tops":{"int8":600}})",
                           R"({"name":"b","kind":"ic","datacenter":true,"dense_tops":{"fp16":300}})"}) {
    const auto m = classify::compute_metrics(parse(spec), bundled_rules().metrics(), {}, true);
    ASSERT_TRUE(m.tpp.has_value());
    EXPECT_DOUBLE_EQ(*m.tpp, 4800);
  }
}

TEST(Metrics, MaximumOverPrecisionsAndSumOverUnits) {
  auto s = parse(R"({"name":"u","kind":"ic","datacenter":true,
    "units":[{"dense_tops":{"fp8":100,"fp16":80}},{"dense_tops":{"fp64":10}}]})");
  const auto m = classify::compute_metrics(s, bundled_rules().metrics(), {}, true);
  EXPECT_DOUBLE_EQ(*m.tpp, 80 * 16 + 10 * 64);  // max per unit, summed
  EXPECT_EQ(m.terms.size(), 3u);
}

TEST(Metrics, Tf32IsExcludedByDefaultAndSelectable) {
  // Trainium-like: TF32 at the BF16 rate makes the reading decide the TPP.
  auto s = parse(R"({"name":"t","kind":"ic","datacenter":true,"dense_tops":{"tf32":190,"bf16":190}})");
  const auto& defs = bundled_rules().metrics();
  EXPECT_DOUBLE_EQ(*classify::compute_metrics(s, defs, {}, false).tpp, 3040);
  EXPECT_DOUBLE_EQ(*classify::compute_metrics(s, defs, {"significant-bits"}, false).tpp, 3610);
  EXPECT_DOUBLE_EQ(*classify::compute_metrics(s, defs, {"container"}, false).tpp, 6080);
  EXPECT_THROW(classify::Classifier(bundled_rules(), {"bogus"}), InputError);
}

TEST(Metrics, DensityCountsOnlyNonPlanarLogicDies) {
  auto s = parse(R"({"name":"d","kind":"ic","datacenter":true,"dense_tops":{"int8":300},
    "logic_dies":[{"area_mm2":200,"nonplanar":true},{"area_mm2":300,"nonplanar":false}]})");
  const auto m = classify::compute_metrics(s, bundled_rules().metrics(), {}, false);
  EXPECT_DOUBLE_EQ(*m.pd, 2400.0 / 200.0);
  EXPECT_EQ(m.dies_counted, 1);
  EXPECT_EQ(m.dies_excluded, 1);
  auto planar_only = parse(R"({"name":"p","kind":"ic","datacenter":true,"dense_tops":{"int8":300},
    "logic_dies":[{"area_mm2":300,"nonplanar":false}]})");
  EXPECT_FALSE(classify::compute_metrics(planar_only, bundled_rules().metrics(), {}, false).pd.has_value());
}

TEST(Spec, ClearErrorsNameTheField) {
  const std::string base = R"("name":"x","kind":"ic","datacenter":true)";
  EXPECT_NE(
      parse_error("{" + base + R"(,"dense_tops":{"fp8":-1}})").find("'dense_tops.fp8': must not be negative"),
      std::string::npos);
  EXPECT_NE(
      parse_error("{" + base + R"(,"dense_tops":{"fp8":"NaN"}})").find("'dense_tops.fp8': must be a number"),
      std::string::npos);
  EXPECT_NE(parse_error("{" + base + R"(,"dense_tops":{"fp9":1}})").find("unknown precision"),
            std::string::npos);
  EXPECT_NE(parse_error(R"({"name":"x","kind":"ic","dense_tops":{}})").find("'datacenter': is required"),
            std::string::npos);
  EXPECT_NE(parse_error(R"({"name":"x","kind":"ic","datacenter":true})").find("'dense_tops': is required"),
            std::string::npos);
  EXPECT_NE(parse_error(R"({"name":"x","kind":"chip","datacenter":true,"dense_tops":{}})").find("'kind'"),
            std::string::npos);
  EXPECT_NE(parse_error("{" + base + R"(,"dense_tops":{},"logic_dies":[{"area_mm2":0,"nonplanar":true}]})")
                .find("'logic_dies[0].area_mm2': must be greater than zero"),
            std::string::npos);
  EXPECT_NE(parse_error("{" + base + R"(,"dense_tops":{},"colour":"red"})").find("'colour': unknown field"),
            std::string::npos);
  EXPECT_NE(parse_error("{" + base + R"(,"dense_tops":{},"designer_country":"China"})").find("ISO 3166"),
            std::string::npos);
  EXPECT_NE(parse_error("{\n" + base + ",\n\"dense_tops\": {\"fp8\": 1e999}}").find("spec.json"),
            std::string::npos);
  const std::string syntax = parse_error("{\n\"name\": \"x\",\n\"kind\": }");
  EXPECT_NE(syntax.find("spec.json:3"), std::string::npos) << syntax;
}

TEST(Spec, YamlSpecsAreAccepted) {
  const auto s = classify::parse_spec("name: y\nkind: computer\ndatacenter: false\ndense_tops: {fp8: 700}\n",
                                      "s.yaml", true, bundled_rules().metrics());
  EXPECT_EQ(s.kind, classify::ItemKind::Computer);
  EXPECT_FALSE(*s.datacenter);
}

TEST(Classify, TraceCarriesRuleCitationAndComparisonValues) {
  const classify::Classifier classifier(bundled_rules());
  const auto c = classifier.classify(ic(125, 500), *Date::parse("2024-01-01"), true);
  ASSERT_EQ(c.paragraph, "3A090.b.2");
  const nlohmann::json j = classify::to_json(c);
  EXPECT_EQ(j["eccn"], "3A090.b");
  EXPECT_EQ(j["rule_version"], "CLS-2023");
  EXPECT_EQ(j["citation"]["fr_doc"], "2023-23055");
  bool saw_density = false;
  for (const auto& step : j["trace"]) {
    EXPECT_TRUE(step.contains("rule"));
    EXPECT_TRUE(step["citation"].contains("text"));
    for (const auto& cmp : step["comparisons"])
      if (cmp["test"] == "pd >= 3.2") {
        saw_density = true;
        EXPECT_DOUBLE_EQ(cmp["left_value"].get<double>(), 4.0);
        EXPECT_DOUBLE_EQ(cmp["right_value"].get<double>(), 3.2);
        EXPECT_EQ(cmp["result"], "true");
      }
  }
  EXPECT_TRUE(saw_density);
}

TEST(Classify, TraceAndNoTraceAgree) {
  const classify::Classifier classifier(bundled_rules());
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> tops(0, 500), area(50, 900);
  for (int i = 0; i < 2000; ++i) {
    auto s = ic(tops(rng), area(rng), i % 3 != 0);
    const Date d = Date::from_days(Date::parse("2022-09-01")->days() + i % 1600);
    const auto a = classifier.classify(s, d, false);
    const auto b = classifier.classify(s, d, true);
    EXPECT_EQ(a.eccn, b.eccn);
    EXPECT_EQ(a.paragraph, b.paragraph);
    EXPECT_EQ(a.determined, b.determined);
  }
}

// Raising TPP or density never lowers the control level under one rule version.
TEST(ClassifyProperties, MonotoneInTppAndDensity) {
  const classify::Classifier classifier(bundled_rules());
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> tops(0, 450), area(30, 1000), factor(1.0, 3.0);
  for (const char* date : {"2023-11-17", "2025-01-01"}) {
    const Date d = *Date::parse(date);
    for (int i = 0; i < 3000; ++i) {
      const bool dc = i % 4 != 0;
      const double t = tops(rng), a = area(rng), f = factor(rng);
      const auto base = classifier.classify(ic(t, a, dc), d, false);
      const auto more_tpp = classifier.classify(ic(t * f, a, dc), d, false);
      const auto more_pd = classifier.classify(ic(t, a / f, dc), d, false);
      EXPECT_GE(more_tpp.rank, base.rank) << t << " " << a << " " << f;
      EXPECT_GE(more_pd.rank, base.rank) << t << " " << a << " " << f;
    }
  }
}

// The result at any date inside a version's period equals the result on its first day.
TEST(ClassifyProperties, ConstantWithinEachRulePeriod) {
  const classify::Classifier classifier(bundled_rules());
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> tops(0, 450), area(30, 1000);
  const Date end = *Date::parse("2026-11-29");
  const auto starts = classifier.timeline_dates(*Date::parse("2022-01-01"), end);
  for (int i = 0; i < 300; ++i) {
    auto s = ic(tops(rng), area(rng), i % 2 == 0);
    s.io_bandwidth_gbps = i % 3 == 0 ? 400.0 : 900.0;
    for (std::size_t k = 0; k < starts.size(); ++k) {
      const Date first = starts[k];
      const Date last = k + 1 < starts.size() ? starts[k + 1].prev_day() : end;
      const auto at_first = classifier.classify(s, first, false);
      std::uniform_int_distribution<int> pick(first.days(), last.days());
      const auto inside = classifier.classify(s, Date::from_days(pick(rng)), false);
      EXPECT_EQ(inside.eccn, at_first.eccn);
      EXPECT_EQ(inside.paragraph, at_first.paragraph);
    }
  }
}

TEST(Classify, NoRuleBeforeOctober2022) {
  const classify::Classifier classifier(bundled_rules());
  const auto c = classifier.classify(ic(1000, 100), *Date::parse("2022-10-20"), true);
  EXPECT_EQ(c.eccn, "not-3A090");
  EXPECT_TRUE(c.rules_in_force.empty());
  EXPECT_EQ(c.deciding_rule, nullptr);
}

// Inputs spec_fuzz once crashed on: each must now be a clean InputError (the
// fuzz target's convention: the first byte's low bit picks YAML).
TEST(Spec, FuzzRegressionsAreInputErrors) {
  int seen = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(EXPORTCTL_TEST_DATA) + "/fuzz-regressions")) {
    if (entry.path().filename().string().rfind("spec-", 0) != 0) continue;
    ++seen;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), {});
    ASSERT_FALSE(data.empty());
    EXPECT_THROW(classify::parse_spec(std::string_view(data).substr(1), "fuzz", (data[0] & 1) != 0,
                                      bundled_rules().metrics()),
                 InputError)
        << entry.path();
  }
  EXPECT_GT(seen, 0);
}
