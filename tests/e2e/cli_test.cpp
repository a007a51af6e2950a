// End-to-end tests of the exportctl binary: exit status, stdout, stderr.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_util.h"

using exportctl::testing::run;
using exportctl::testing::TempDir;
using nlohmann::json;

namespace {

std::string cli(const std::string& args) {
  return std::string(EXPORTCTL_BINARY) + " " + args;
}

void expect_input_error(const exportctl::testing::RunResult& r, const std::string& fragment) {
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(r.out.empty()) << "stdout must stay empty on error: " << r.out;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
}

// UNDETERMINED is an answer: on stdout, naming what is missing, exit status 3.
void expect_undetermined(const exportctl::testing::RunResult& r, const std::string& fragment) {
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_NE(r.out.find("UNDETERMINED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(fragment), std::string::npos) << r.out;
}

}  // namespace

TEST(CliClassify, H800TimelineShowsTheOctober2023Change) {
  const auto r = run(cli("classify --chip nvidia-h800-sxm5-80gb --timeline --json"));
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  const auto& t = j["timeline"];
  ASSERT_GE(t.size(), 3u);
  EXPECT_EQ(t[0]["date"], "2022-10-01");
  EXPECT_EQ(t[0]["eccn"], "not-3A090");
  EXPECT_EQ(t[1]["date"], "2022-10-21");
  EXPECT_EQ(t[1]["eccn"], "not-3A090");
  EXPECT_EQ(t[1]["rule_version"], "CLS-2022");
  EXPECT_EQ(t[2]["date"], "2023-11-17");
  EXPECT_EQ(t[2]["eccn"], "3A090.a");
  EXPECT_EQ(t[2]["paragraph"], "3A090.a.1");
  EXPECT_EQ(t[2]["citation"]["fr_doc"], "2023-23055");
  EXPECT_TRUE(t[2]["changed"].get<bool>());
}

TEST(CliClassify, TimelineTextNamesParagraphAndCitation) {
  const auto r = run(cli("classify --chip nvidia-h800-sxm5-80gb --timeline"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("2023-11-17 *"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3A090.a.1"), std::string::npos);
  EXPECT_NE(r.out.find("87 FR 62186"), std::string::npos);
  EXPECT_NE(r.out.find("io_bw = 400  >= 600  -> false"), std::string::npos);
}

TEST(CliClassify, JsonHasTheDocumentedFields) {
  const auto r = run(cli("classify --chip nvidia-l4 --date 2024-03-01 --json"));
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["chip"], "nvidia-l4");
  EXPECT_EQ(j["date"], "2024-03-01");
  EXPECT_EQ(j["eccn"], "3A090.a");
  EXPECT_EQ(j["paragraph"], "3A090.a.2");
  EXPECT_NEAR(j["tpp"].get<double>(), 1940, 0.01);
  EXPECT_NEAR(j["pd"].get<double>(), 6.5874, 0.001);
  EXPECT_EQ(j["rule_version"], "CLS-2023");
  ASSERT_FALSE(j["trace"].empty());
  for (const auto& step : j["trace"]) {
    EXPECT_TRUE(step.contains("rule"));
    EXPECT_TRUE(step.contains("citation"));
    EXPECT_TRUE(step.contains("test"));
    EXPECT_TRUE(step.contains("result"));
    for (const auto& c : step["comparisons"]) {
      EXPECT_TRUE(c.contains("left_value"));
      EXPECT_TRUE(c.contains("right_value"));
    }
  }
}

TEST(CliClassify, UnseenSpecFileAtSeveralDates) {
  TempDir dir;
  const auto spec = dir.write("new-chip.json", R"({
    "name": "acme-x1", "kind": "ic", "datacenter": true,
    "dense_tops": {"fp8": 400, "bf16": 200, "fp32": 50},
    "logic_dies": [{"area_mm2": 400, "nonplanar": true}, {"area_mm2": 200, "nonplanar": false}],
    "memory_bandwidth_gbps": 3000, "io_bandwidth_gbps": 700, "hbm": true,
    "vendor": "Acme", "designer_country": "US"})");
  // TPP 3200, PD 8: 2022 -> not (TPP < 4800); 2023 -> 3A090.a.2.
  auto r = run(cli("classify --spec " + spec.string() + " --date 2023-01-10 --json"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["eccn"], "not-3A090");
  r = run(cli("classify --spec " + spec.string() + " --date 2025-02-01 --json"));
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["eccn"], "3A090.a");
  EXPECT_EQ(j["paragraph"], "3A090.a.2");
  EXPECT_DOUBLE_EQ(j["pd"].get<double>(), 8.0);
  const auto yaml =
      dir.write("box.yaml", "name: box\nkind: computer\ndatacenter: true\ndense_tops: {int8: 700}\n");
  r = run(cli("classify --spec " + yaml.string() + " --date 2025-02-01 --json"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["eccn"], "4A090.a");
}

TEST(CliClassify, AllFormats) {
  auto r = run(cli("classify --all --date 2026-03-01 --format csv"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 60);
  EXPECT_NE(r.out.find("nvidia-h20,2026-03-01,not-3A090"), std::string::npos);
  r = run(cli("classify --all --date 2026-03-01 --format json"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["results"].size(), 59u);
  r = run(cli("classify --all --date 2026-03-01"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("UNDETERMINED"), std::string::npos);
}

TEST(CliErrors, BadInputGetsOneLineAndStatus2) {
  expect_input_error(run(cli("classify --chip nvidia-h801 --date 2024-01-01")),
                     "unknown chip id 'nvidia-h801'");
  expect_input_error(run(cli("classify --chip nvidia-h800-sxm5-80gb --date 2021-12-31")),
                     "before 2022-01-01");
  expect_input_error(run(cli("classify --chip nvidia-h800-sxm5-80gb --date 2024-13-01")), "not a date");
  expect_input_error(run(cli("classify --chip nvidia-h800-sxm5-80gb")), "--date");
  expect_undetermined(run(cli("classify --chip nvidia-b30a --date 2024-01-01")),
                      "needs tpp (spec field dense_tops): CLS-2023 3A090.a.1: tpp >= 4800");
  expect_undetermined(run(cli("classify --chip google-tpu-v4 --date 2024-01-01")),
                      "needs pd (spec field logic_dies");
  expect_input_error(run(cli("classify --spec /nonexistent.json --date 2024-01-01")), "cannot open");
  expect_input_error(run(cli("frobnicate")), "error");
}

TEST(CliErrors, BadSpecNamesTheField) {
  TempDir dir;
  const auto nan =
      dir.write("nan.json", R"({"name":"n","kind":"ic","datacenter":true,"dense_tops":{"fp8":"NaN"}})");
  expect_input_error(run(cli("classify --spec " + nan.string() + " --date 2024-01-01")), "dense_tops.fp8");
  const auto neg =
      dir.write("neg.json", R"({"name":"n","kind":"ic","datacenter":true,"dense_tops":{"fp8":-3}})");
  expect_input_error(run(cli("classify --spec " + neg.string() + " --date 2024-01-01")),
                     "must not be negative");
  const auto missing = dir.write("missing.json", R"({"name":"n","kind":"ic","dense_tops":{"fp8":3}})");
  expect_input_error(run(cli("classify --spec " + missing.string() + " --date 2024-01-01")),
                     "'datacenter': is required");
  const auto needs_area =
      dir.write("area.json", R"({"name":"n","kind":"ic","datacenter":true,"dense_tops":{"fp8":300}})");
  expect_undetermined(run(cli("classify --spec " + needs_area.string() + " --date 2024-01-01")),
                      "logic_dies");
  const auto broken = dir.write("broken.json", "{\n  \"name\": \"n\",\n  oops\n}");
  expect_input_error(run(cli("classify --spec " + broken.string() + " --date 2024-01-01")), "broken.json:3");
}

TEST(CliRules, ListAndValidate) {
  auto r = run(cli("rules list --date 2023-06-01 --json"));
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  std::vector<std::string> ids;
  for (const auto& rule : j["rules"]) ids.push_back(rule["id"]);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "CLS-2022"), ids.end());
  EXPECT_EQ(std::find(ids.begin(), ids.end(), "CLS-2023"), ids.end());
  r = run(cli("rules validate " + exportctl::testing::rules_dir()));
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("OK"), std::string::npos);

  TempDir bad;
  std::filesystem::copy(exportctl::testing::rules_dir(), bad.path(),
                        std::filesystem::copy_options::recursive);
  bad.write("classification/extra.yaml",
            "id: X\nkind: classification\ntitle: t\neffective_from: 2025-01-01\n"
            "evidence: S\ncitation: {url: 'https://example.org'}\n"
            "paragraphs:\n  - id: p\n    when: 'tpp >= '\n    outcome: {ic: 3A090.a}\n");
  r = run(cli("rules validate " + bad.path().string()));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("extra.yaml:9"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("paragraphs[0].when"), std::string::npos) << r.out;
  // A broken rules folder stops every command with the same message.
  expect_input_error(
      run(cli("--rules " + bad.path().string() + " classify --chip nvidia-l4 --date 2024-01-01")),
      "extra.yaml:9");
}

TEST(CliRules, NewRuleFileChangesTheAnswerWithoutRecompiling) {
  TempDir dir;
  std::filesystem::copy(exportctl::testing::rules_dir(), dir.path(),
                        std::filesystem::copy_options::recursive);
  // End CLS-2023 and add a hypothetical stricter successor from 2027-01-01.
  std::string cls = exportctl::testing::read_file(dir.path() / "classification/cls-2023.yaml");
  cls.replace(cls.find("effective_from: 2023-11-17"), 26,
              "effective_from: 2023-11-17\neffective_to: 2026-12-31");
  dir.write("classification/cls-2023.yaml", cls);
  dir.write("classification/cls-2027-test.yaml",
            "id: CLS-2027-TEST\nkind: classification\nfamily: 3A090-logic\ntitle: hypothetical\n"
            "effective_from: 2027-01-01\nevidence: D\ncitation: {url: 'https://example.org/test'}\n"
            "paragraphs:\n  - id: 3A090.a.1\n    when: 'tpp >= 1000'\n    outcome: {ic: 3A090.a, computer: "
            "4A090.a, rank: 3}\n");
  const std::string base = "--rules " + dir.path().string() + " classify --chip nvidia-h20 --json --date ";
  auto r = run(cli(base + "2026-12-31"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["eccn"], "not-3A090");
  r = run(cli(base + "2027-01-01"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["eccn"], "3A090.a");
  EXPECT_EQ(json::parse(r.out)["rule_version"], "CLS-2027-TEST");
}

TEST(CliChips, ListAndShow) {
  auto r = run(cli("chips list --json"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).size(), 59u);
  r = run(cli("chips show nvidia-h20 --json"));
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["fields"]["memory_bw_gbps"], "4000");
  EXPECT_FALSE(j["sources"].empty());
  expect_input_error(run(cli("chips show nope")), "unknown chip id");
}

// Text renderings (from the same JSON --json prints): the verdict and why first,
// the arithmetic, every provision with its citation.
TEST(CliText, ClassificationShowsTheParagraphTheArithmeticAndTheCitation) {
  const auto r = run(cli("classify --chip nvidia-l40 --date 2024-06-01"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.find("nvidia-l40 on 2024-06-01: 3A090"), 0u) << r.out;
  EXPECT_NE(r.out.find("why: 3A090."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("dense TOPS x"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("88 FR 73458"), std::string::npos) << r.out;
  const auto h20 = run(cli("classify --chip nvidia-h20 --date 2025-06-01"));
  EXPECT_NE(h20.out.find("why: no CLS-2023 paragraph met (tpp 2368 < 2400, pd 2.91 < 3.2)"),
            std::string::npos)
      << h20.out;
  const auto early = run(cli("classify --chip nvidia-h100-sxm5-80gb --date 2022-05-01"));
  EXPECT_NE(early.out.find("the first, CLS-2022"), std::string::npos) << early.out;
}

TEST(CliText, DecisionComesFirstThenEveryReason) {
  const auto r = run(cli("check --chip nvidia-h20 --to CN --date 2025-04-20"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.find("LICENSE REQUIRED"), r.out.find('\n') + 3) << r.out;
  EXPECT_NE(r.out.find("requirement is-informed-2025-04"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("not-applicable 3A090-destination"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("8-K"), std::string::npos) << r.out;
}
