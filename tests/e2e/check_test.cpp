// End-to-end tests of `exportctl check`: the issue's named cases, the
// timeline, batch files and bad input.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "test_util.h"

using exportctl::testing::run;
using exportctl::testing::TempDir;
using nlohmann::json;

namespace {

// Every run gets an empty data folder, so a snapshot a developer imported
// does not change the answers: party screening uses the bundled lists.
std::string cli(const std::string& args) {
  static const TempDir data_dir;
  return std::string(EXPORTCTL_BINARY) + " --data-dir " + data_dir.path().string() + " " + args;
}

json check_json(const std::string& args) {
  const auto r = run(cli("check " + args + " --json"));
  EXPECT_EQ(r.status, 0) << r.err;
  return r.status == 0 ? json::parse(r.out) : json();
}

void expect_input_error(const exportctl::testing::RunResult& r, const std::string& fragment) {
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
}

void expect_undetermined(const exportctl::testing::RunResult& r, const std::string& fragment) {
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_NE(r.out.find("UNDETERMINED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(fragment), std::string::npos) << r.out;
}

}  // namespace

TEST(CliCheck, H20ToChinaAfterApril2025CitesTheIsInformedAction) {
  const json j = check_json("--chip nvidia-h20 --to CN --date 2025-04-20");
  EXPECT_EQ(j["license_required"], true);
  EXPECT_EQ(j["classification"]["eccn"], "not-3A090");
  bool cited = false;
  for (const auto& r : j["reasons"])
    if (r.value("rule", "") == "R2025-04-09-H20" && r["type"] == "requirement") {
      cited = true;
      EXPECT_FALSE(r["evidence"].get<std::string>().empty());
    }
  EXPECT_TRUE(cited);
  const auto text = run(cli("check --chip nvidia-h20 --to CN --date 2025-04-20"));
  EXPECT_NE(text.out.find("LICENSE REQUIRED"), std::string::npos);
  EXPECT_NE(text.out.find("evidence S"), std::string::npos);
  EXPECT_NE(text.out.find("is-informed"), std::string::npos);
}

TEST(CliCheck, NamedCasesComeOutAsTheReferenceSays) {
  EXPECT_EQ(check_json("--chip nvidia-h800-sxm5-80gb --to CN --date 2023-06-15")["license_required"], false);
  EXPECT_EQ(check_json("--chip nvidia-h800-sxm5-80gb --to CN --date 2023-12-15")["policy"],
            "presumption-of-denial");
  EXPECT_EQ(check_json("--chip nvidia-h200-sxm-141gb --to CN --date 2025-06-15")["policy"],
            "presumption-of-denial");
  EXPECT_EQ(check_json("--chip nvidia-h200-sxm-141gb --to CN --date 2026-03-15")["policy"], "case-by-case");
  EXPECT_EQ(check_json("--chip nvidia-h100-sxm5-80gb --to IL --date 2025-06-01")["license_required"], false);
  const json uae = check_json("--chip nvidia-h100-sxm5-80gb --to AE --date 2025-06-01");
  EXPECT_EQ(uae["license_required"], true);
  EXPECT_EQ(uae["policy"], "presumption-of-approval");
  const json sg = check_json("--chip nvidia-h100-sxm5-80gb --to SG --hq CN --date 2025-06-01");
  EXPECT_EQ(sg["license_required"], true);
  EXPECT_EQ(sg["requirements"], json({"3A090-hq"}));
}

TEST(CliCheck, EntityListPartyAndGp10) {
  const json el =
      check_json("--chip nvidia-l2 --to CN --date 2024-06-01 --party 'Huawei Technologies Co., Ltd.'");
  EXPECT_EQ(el["license_required"], true);
  ASSERT_EQ(el["party_matches"].size(), 1u);
  EXPECT_EQ(el["party_matches"][0]["entry"]["federal_register_notice"], "84 FR 22961");
  // Chinese characters and pinyin find the same entry through screening.
  for (const char* name : {"华为技术有限公司", "Huawei Jishu Youxian Gongsi"}) {
    const json j =
        check_json(std::string("--chip nvidia-l2 --to CN --date 2024-06-01 --party '") + name + "'");
    EXPECT_EQ(j["license_required"], true) << name;
    EXPECT_EQ(j["policy"], "presumption-of-denial") << name;
    ASSERT_FALSE(j["party_matches"].empty()) << name;
    EXPECT_NE(j["party_matches"][0]["alignment"].get<std::string>().find("huawei"), std::string::npos);
  }
  EXPECT_EQ(check_json(
                "--chip nvidia-l2 --to CN --date 2024-06-01 --party 'Shenzhen Huaxin Technologies Co., Ltd.'")
                ["license_required"],
            false);
  const json gp10 = check_json("--chip huawei-ascend-910c --to MY --date 2025-06-01");
  EXPECT_EQ(gp10["flags"], json({"GP10"}));
}

TEST(CliCheck, TimelineShowsTheH20ChangeInApril2025) {
  const json j = check_json("--chip nvidia-h20 --to CN --timeline");
  bool before = false, after = false;
  for (const auto& e : j["timeline"]) {
    if (e["date"] == "2025-01-13") before = e["license_required"] == false;
    if (e["date"] == "2025-04-09") after = e["license_required"] == true && e["changed"] == true;
  }
  EXPECT_TRUE(before);
  EXPECT_TRUE(after);
  const auto text = run(cli("check --chip nvidia-h20 --to CN --timeline"));
  EXPECT_NE(text.out.find("2025-04-09 *"), std::string::npos) << text.out;
}

TEST(CliCheck, BatchWritesOneDecisionPerRowInOrder) {
  TempDir dir;
  const auto in = dir.write("tx.csv",
                            "id,chip,to,date,hq,party\n"
                            "1,nvidia-h20,CN,2025-04-20,,\n"
                            "2,nvidia-h100-sxm5-80gb,IL,2025-06-01,,\n"
                            "3,nvidia-h100-sxm5-80gb,SG,2025-06-01,CN,\n"
                            "4,nvidia-l2,CN,2024-06-01,,Huawei Technologies Co. Ltd.\n"
                            "5,google-tpu-v4,CN,2024-06-01,,\n");
  const auto out = dir.path() / "decisions.csv";
  const auto r =
      run(cli("check --file " + in.string() + " --out " + out.string() + " --threads 2 --no-progress"));
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string csv = exportctl::testing::read_file(out);
  std::istringstream lines(csv);
  std::string line;
  std::vector<std::string> rows;
  while (std::getline(lines, line)) rows.push_back(line);
  ASSERT_EQ(rows.size(), 6u) << csv;
  EXPECT_NE(rows[0].find("license_required,policy,exceptions,flags"), std::string::npos);
  EXPECT_EQ(rows[1].rfind("1,nvidia-h20,CN,2025-04-20,,,true,unconfirmed,,is-informed,not-3A090", 0), 0u)
      << rows[1];
  EXPECT_NE(rows[2].find(",false,"), std::string::npos) << rows[2];
  EXPECT_NE(rows[3].find("presumption-of-denial"), std::string::npos) << rows[3];
  EXPECT_NE(rows[4].find("entity-list"), std::string::npos) << rows[4];
  EXPECT_NE(rows[5].find("UNDETERMINED,pd"), std::string::npos) << rows[5];
}

TEST(CliCheck, BatchErrorNamesLineAndLeavesNoOutput) {
  TempDir dir;
  const auto in = dir.write("tx.csv", "chip,to,date\nnvidia-h20,CN,2025-04-20\nnvidia-h20,XX,2025-04-20\n");
  const auto out = dir.path() / "decisions.csv";
  const auto r = run(cli("check --file " + in.string() + " --out " + out.string() + " --no-progress"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("tx.csv:3: column 'to'"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);  // no temp file left
}

TEST(CliCheck, BadInput) {
  expect_input_error(run(cli("check --chip nvidia-h20 --to XX --date 2025-04-20")), "--to");
  expect_input_error(run(cli("check --chip nvidia-h20 --to CN --date 2021-04-20")), "before 2022-01-01");
  expect_input_error(run(cli("check --chip nvidia-h20 --to CN --date 2025-02-30")), "not a date");
  expect_input_error(run(cli("check --chip nvidia-h20 --spec x.json --to CN --date 2025-04-20")),
                     "exactly one");
  expect_input_error(run(cli("check --chip nvidia-h20 --to CN --date 2025-04-20 --timeline")), "timeline");
  expect_input_error(run(cli("check --chip nvidia-h20 --to CN --date 2025-04-20 --end-use weapons")),
                     "--end-use");
  expect_input_error(run(cli("check --chip nvidia-h20 --date 2025-04-20")), "--to");
  expect_undetermined(run(cli("check --chip google-tpu-v4 --to CN --date 2024-06-01")),
                      "needs pd (spec field logic_dies");
  expect_input_error(run(cli("check --file /nonexistent.csv --out /tmp/x.csv")), "cannot open");
}

TEST(CliCheck, SpecFileItem) {
  TempDir dir;
  // An unlisted H20-class design: below every 3A090 line, above the April 2025 bandwidth line.
  const auto spec = dir.write("h20-like.json", R"({"name": "acme-h20-like", "kind": "ic", "datacenter": true,
    "dense_tops": {"fp8": 290}, "logic_dies": [{"area_mm2": 800, "nonplanar": true}],
    "memory_bandwidth_gbps": 3900, "io_bandwidth_gbps": 900, "vendor": "NVIDIA", "designer_country": "US"})");
  json j = check_json("--spec " + spec.string() + " --to CN --date 2025-03-01");
  EXPECT_EQ(j["license_required"], false);
  EXPECT_EQ(j["classification"]["eccn"], "not-3A090");
  j = check_json("--spec " + spec.string() + " --to CN --date 2025-05-01");
  EXPECT_EQ(j["license_required"], true);
  EXPECT_EQ(j["flags"], json({"is-informed"}));
  // Without a vendor the April 2025 overlay cannot be decided: the command says which input is missing.
  const auto anonymous = dir.write("anon.json", R"({"name": "anon", "kind": "ic", "datacenter": true,
    "dense_tops": {"fp8": 290}, "logic_dies": [{"area_mm2": 800, "nonplanar": true}],
    "memory_bandwidth_gbps": 3900, "io_bandwidth_gbps": 900})");
  expect_undetermined(run(cli("check --spec " + anonymous.string() + " --to CN --date 2025-05-01")),
                      "needs vendor (spec field vendor)");
}

// The issue's named cases: a "no" that explains itself, and UNDETERMINED as an answer.
TEST(CliCheck, NoLicenseToIsraelNamesTheA6CarveOut) {
  const auto r = run(cli("check --chip nvidia-h100-sxm5-80gb --to IL --date 2024-06-01"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("NO LICENSE REQUIRED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("dest IL is in D4 but also in A6, which this requirement excludes"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("15 CFR 742.6(a)(6)(iii)"), std::string::npos) << r.out;
}

TEST(CliCheck, Mi308ToChinaIsUndeterminedAndToGermanyIsAnswered) {
  const auto open = run(cli("check --chip amd-mi308x --to CN --date 2024-06-01 --json"));
  EXPECT_EQ(open.status, 3) << open.err;
  EXPECT_TRUE(open.err.empty()) << open.err;
  const json j = json::parse(open.out);
  EXPECT_EQ(j["determined"], false);
  EXPECT_EQ(j["missing"][0]["input"], "tpp");
  EXPECT_EQ(j["missing"][0]["field"], "dense_tops");
  const auto answered = run(cli("check --chip amd-mi308x --to DE --date 2024-06-01"));
  EXPECT_EQ(answered.status, 0) << answered.err;
  EXPECT_NE(answered.out.find("NO LICENSE REQUIRED"), std::string::npos) << answered.out;
  EXPECT_NE(answered.out.find("no value of theirs could change this answer: tpp"), std::string::npos)
      << answered.out;
}

TEST(CliCheck, CountryNamesAreAccepted) {
  const json j = check_json("--chip nvidia-h100-sxm5-80gb --to china --date 2024-06-01");
  EXPECT_EQ(j["to"], "CN");
  EXPECT_EQ(j["license_required"], true);
  expect_input_error(run(cli("check --chip nvidia-h100-sxm5-80gb --to Chian --date 2024-06-01")),
                     "--to: 'Chian' is not a country");
}

// Vendor letters name products: the MI308 is caught by name, without figures,
// citing AMD's disclosure; what its figures would add stays listed as open.
TEST(CliCheck, Mi308InApril2025NeedsALicenseByName) {
  const auto r = run(cli("check --chip amd-mi308x --to CN --date 2025-04-20 --json"));
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["license_required"], true);
  EXPECT_EQ(j["complete"], false);
  EXPECT_EQ(j["requirements"], json({"is-informed-2025-04-mi308"}));
  bool cites_amd = false;
  for (const auto& reason : j["reasons"])
    if (reason["type"] == "requirement" && reason.value("rule", "") == "R2025-04-15-MI308")
      cites_amd = reason["citation"]["text"].get<std::string>().find("AMD Form 8-K") != std::string::npos;
  EXPECT_TRUE(cites_amd) << j["reasons"].dump(2);
  EXPECT_EQ(j["missing"][0]["input"], "tpp");
  const auto text = run(cli("check --chip amd-mi308x --to CN --date 2025-04-20"));
  EXPECT_NE(text.out.find("LICENSE REQUIRED"), std::string::npos) << text.out;
}

// Ownership is input: each owner screened like a party, listed shares summed
// against the Affiliates rule's 50% line, the rule's status shown.
TEST(CliCheck, OwnedByAListedPartyUnderTheAffiliatesRule) {
  const std::string base =
      "--chip nvidia-l20 --to CN --party \"Example Subsidiary Technology Co., Ltd.\" "
      "--owner \"Huawei Technologies Co., Ltd.=60\" --date ";
  const json after = check_json(base + "2026-11-20");
  EXPECT_EQ(after["license_required"], true);
  EXPECT_EQ(after["requirements"], json({"entity-list-affiliate"}));
  EXPECT_EQ(after["listed_ownership"], 60);
  EXPECT_EQ(after["owners"][0]["entity_list_matches"][0]["entry"]["name"], "Huawei Technologies Co., Ltd.");
  EXPECT_NE(std::find(after["flags"].begin(), after["flags"].end(), "affiliates-status-unconfirmed"),
            after["flags"].end());
  const json suspended = check_json(base + "2026-03-01");
  EXPECT_EQ(suspended["license_required"], false);
  bool says_suspended = false;
  for (const auto& r : suspended["reasons"])
    says_suspended = says_suspended || (r["type"] == "information" && r["sentence"].get<std::string>().find(
                                                                          "suspended") != std::string::npos);
  EXPECT_TRUE(says_suspended);
  expect_input_error(run(cli("check --chip nvidia-l20 --to CN --date 2026-11-20 --owner Huawei")), "--owner");
}
