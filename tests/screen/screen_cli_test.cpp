// End-to-end: the exportctl binary against the bundled lists (an empty
// --data-dir, so no snapshot), and the lists commands on fixtures.

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>
#include <sstream>

#include "test_util.h"

using exportctl::testing::run;
using exportctl::testing::TempDir;
using nlohmann::json;

namespace {

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Cli {
  TempDir data;
  exportctl::testing::RunResult operator()(const std::string& args) const {
    return run(std::string(EXPORTCTL_BINARY) + " --data-dir " + data.path().string() + " " + args);
  }
  json screen(const std::string& name, const std::string& extra = "") const {
    const auto r = (*this)("screen " + quote(name) + " --json " + extra);
    EXPECT_EQ(r.status, 0) << r.err;
    return json::parse(r.out);
  }
};

const json* find_entry(const json& result, const std::string& name, const std::string& source_code) {
  for (const auto& m : result["matches"])
    if (m["entry"]["name"] == name && m["entry"]["source_code"] == source_code) return &m;
  return nullptr;
}

}  // namespace

// Issue 4, done criteria: three renderings of Huawei's name find the Entity List record.
TEST(ScreenCli, HuaweiInEveryScriptFindsTheEntityListRecord) {
  Cli cli;
  for (const std::string q :
       {"华为技术有限公司", "Huawei Jishu Youxian Gongsi", "HUAWEI TECHNOLOGIES COMPANY LIMITED"}) {
    const json r = cli.screen(q);
    EXPECT_EQ(r["query"], q);
    EXPECT_DOUBLE_EQ(r["threshold"].get<double>(), 0.8);
    EXPECT_FALSE(r["list_version"].get<std::string>().empty());
    ASSERT_FALSE(r["matches"].empty()) << q;
    const json& best = r["matches"][0];
    EXPECT_EQ(best["entry"]["name"], "Huawei Technologies Co., Ltd.") << q;
    EXPECT_EQ(best["entry"]["source_code"], "EL");
    EXPECT_EQ(best["entry"]["federal_register_notice"], "84 FR 22961");
    EXPECT_FALSE(best["entry"]["license_requirement"].get<std::string>().empty());
    EXPECT_FALSE(best["entry"]["license_policy"].get<std::string>().empty());
    EXPECT_TRUE(best["entry"]["alt_names"].is_array());
    EXPECT_GE(best["score"].get<double>(), 0.9);
    EXPECT_LE(best["score"].get<double>(), 1.0);
    // Readable alignment: every query token accounted for, the name token exact.
    ASSERT_EQ(best["alignment"].size(), 3u) << best["alignment"].dump();
    EXPECT_EQ(best["alignment"][0]["listed"], "huawei");
    EXPECT_EQ(best["alignment"][0]["kind"], "name");
    for (const auto& a : best["alignment"]) EXPECT_NE(a["how"], "unmatched") << a.dump();
  }
  const auto text = cli("screen " + quote("华为技术有限公司"));
  EXPECT_EQ(text.status, 0);
  EXPECT_NE(text.out.find("Huawei Technologies Co., Ltd."), std::string::npos);
  EXPECT_NE(text.out.find("华为 (huawei)"), std::string::npos);
  EXPECT_NE(text.out.find("84 FR 22961"), std::string::npos);
}

TEST(ScreenCli, DifferentCompanySharingCityDescriptorsAndLegalFormScoresVisiblyLower) {
  Cli cli;
  const json huawei = cli.screen("Shenzhen Huawei Technologies Co., Ltd.");
  const json* hit = find_entry(huawei, "Huawei Technologies Co., Ltd.", "EL");
  ASSERT_NE(hit, nullptr);
  const json huaxin = cli.screen("Shenzhen Huaxin Technologies Co., Ltd.", "--threshold 0");
  const json* miss = find_entry(huaxin, "Huawei Technologies Co., Ltd.", "EL");
  const double lower = miss ? (*miss)["score"].get<double>() : 0.0;
  EXPECT_GE((*hit)["score"].get<double>(), 0.8);
  EXPECT_LT(lower, 0.5);
  EXPECT_EQ(cli.screen("Shenzhen Huaxin Technologies Co., Ltd.")["matches"].size(), 0u);
}

TEST(ScreenCli, NumberedInstitutesDoNotCrossMatch) {
  Cli cli;
  const json r = cli.screen("China Electronics Technology Group Corporation 54th Research Institute");
  ASSERT_FALSE(r["matches"].empty());
  EXPECT_EQ(r["matches"][0]["entry"]["name"], "54th Research Institute of China");
  for (const auto& m : r["matches"])
    EXPECT_EQ(m["entry"]["name"].get<std::string>().find("13th"), std::string::npos) << m.dump();
}

TEST(ScreenCli, BadInputIsOneLineAndExitTwo) {
  Cli cli;
  for (const std::string& arg :
       {std::string("''"), std::string("\"$(printf 'a\\001b')\""), std::string("\"$(printf '\\377\\376')\""),
        std::string("Huawei --threshold 2"), std::string("Huawei --country Chian"),
        std::string("--file /nonexistent.csv")}) {
    const auto r = cli("screen " + arg);
    EXPECT_EQ(r.status, 2) << arg << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << arg;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  const auto big = cli.data.write("big.txt", std::string(10 * 1024 * 1024, 'a'));
  const auto r = run("bash -c '" + std::string(EXPORTCTL_BINARY) + " --data-dir " + cli.data.path().string() +
                     " screen \"$(head -c 100000 " + big.string() + ")\"'");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("limit"), std::string::npos);
}

TEST(ScreenCli, BatchJsonlKeepsInputOrderAndReportsBadRows) {
  Cli cli;
  const auto in =
      cli.data.write("parties.csv",
                     "id,party,country\n1,Huawei Technologies Co Ltd,CN\n2,\"\",\n3,BANCO NACIONAL DE CUBA,\n"
                     "4,Acme Garden Supplies,US\n");
  const auto out = cli.data.path() / "out.jsonl";
  const auto r =
      cli("screen --file " + in.string() + " --name-column party --format jsonl --out " + out.string());
  ASSERT_EQ(r.status, 0) << r.err;
  std::istringstream lines(exportctl::testing::read_file(out));
  std::vector<json> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(json::parse(line));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0]["query"], "Huawei Technologies Co Ltd");
  EXPECT_EQ(rows[0]["country"], "CN");
  EXPECT_EQ(rows[0]["matches"][0]["entry"]["name"], "Huawei Technologies Co., Ltd.");
  EXPECT_TRUE(rows[1].contains("error"));
  EXPECT_EQ(rows[2]["matches"][0]["entry"]["source_code"], "SDN");
  EXPECT_TRUE(rows[3]["matches"].empty());
  const auto csv = cli("screen --file " + in.string() + " --name-column party");
  ASSERT_EQ(csv.status, 0);
  EXPECT_EQ(csv.out.rfind("row,query,score", 0), 0u);
  EXPECT_NE(csv.out.find("EL:exportctl-el-ai-0001"), std::string::npos);
  const auto missing = cli("screen --file " + in.string());
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("--name-column"), std::string::npos);
}

TEST(ScreenCli, AdjudicationSuppressesExactlyThatPair) {
  Cli cli;
  const json before = cli.screen("Huawei Technologies Co Ltd");
  ASSERT_FALSE(before["matches"].empty());
  const std::string fp = before["matches"][0]["entry"]["fingerprint"];
  const auto adj = cli.data.write("adjudications.csv",
                                  "customer,entry,entry_fingerprint,decided_by,date,reason\n"
                                  "Huawei Technologies Co Ltd,EL:exportctl-el-ai-0001," +
                                      fp + ",t.tester,2026-11-29,test decision\n");
  const json after = cli.screen("Huawei Technologies Co Ltd");  // default file in --data-dir
  EXPECT_EQ(find_entry(after, "Huawei Technologies Co., Ltd.", "EL"), nullptr);
  EXPECT_EQ(after["suppressed_by_adjudication"][0]["entry"], "EL:exportctl-el-ai-0001");
  const json other = cli.screen("Huawei Technologies Company Limited");
  EXPECT_NE(find_entry(other, "Huawei Technologies Co., Ltd.", "EL"), nullptr);
}

TEST(ScreenCli, ListsImportDiffAndDeltaRescreen) {
  Cli cli;
  const auto old_list =
      cli.data.write("old/list.csv",
                     "source,name,alt_names,federal_register_notice\n"
                     "Entity List (EL) - Bureau of Industry and Security,Alpha Quantum Devices,,\n"
                     "Entity List (EL) - Bureau of Industry and Security,Beta Photonics,,\n");
  const auto new_list =
      cli.data.write("new/list.csv",
                     "source,name,alt_names,federal_register_notice\n"
                     "Entity List (EL) - Bureau of Industry and Security,Alpha Quantum Devices,,\n"
                     "Entity List (EL) - Bureau of Industry and Security,Gamma Lithography,,90 FR 1\n");
  const auto imported = cli("lists import " + old_list.string());
  ASSERT_EQ(imported.status, 0) << imported.err;
  const auto status = cli("lists status --json");
  const json st = json::parse(status.out);
  EXPECT_FALSE(st["bundled"].get<bool>());
  EXPECT_EQ(st["entries"], 2);
  // Screening now uses the imported snapshot.
  EXPECT_EQ(cli.screen("Alpha Quantum Devices")["list_version"], st["version"]);
  const auto bad = cli.data.write("bad.csv", "source,name\nEL,ok\nEL,bad,row\n");
  const auto failed = cli("lists import " + bad.string());
  EXPECT_EQ(failed.status, 2);
  EXPECT_NE(failed.err.find("bad.csv:3"), std::string::npos) << failed.err;
  EXPECT_EQ(json::parse(cli("lists status --json").out)["version"], st["version"]);

  const auto diff = cli("lists diff " + old_list.string() + " " + new_list.string() + " --json");
  ASSERT_EQ(diff.status, 0) << diff.err;
  const json d = json::parse(diff.out);
  EXPECT_EQ(d["added"].size(), 1u);
  EXPECT_EQ(d["removed"].size(), 1u);
  EXPECT_EQ(d["added"][0]["name"], "Gamma Lithography");

  const auto customers = cli.data.write("customers.csv", "name\nGamma Lithography\nAlpha Quantum Devices\n");
  const auto delta = cli("screen --delta " + old_list.string() + " " + new_list.string() + " --file " +
                         customers.string() + " --format jsonl");
  ASSERT_EQ(delta.status, 0) << delta.err;
  std::istringstream lines(delta.out);
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_EQ(json::parse(first)["matches"].size(), 1u);
  EXPECT_EQ(json::parse(second)["matches"].size(), 0u);  // unchanged entry: not re-alerted
}

TEST(ScreenCli, FetchDownloadsFromALocalServerWithChecksumAndAtomicSwap) {
  Cli cli;
  std::ifstream in(std::string(EXPORTCTL_TEST_DATA) + "/screen/csl_2025.csv", std::ios::binary);
  const std::string body((std::istreambuf_iterator<char>(in)), {});
  httplib::Server server;
  server.Get("/consolidated.csv",
             [&](const httplib::Request&, httplib::Response& res) { res.set_content(body, "text/csv"); });
  server.Get("/broken.csv", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content("source,name\nEL,Acme\nEL,Acme,extra\n", "text/csv");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const std::string base = "http://127.0.0.1:" + std::to_string(port);

  const auto ok = cli("lists fetch --url " + base + "/consolidated.csv");
  const auto wrong_sum =
      cli("lists fetch --url " + base + "/consolidated.csv --sha256 " + std::string(64, '0'));
  const auto broken = cli("lists fetch --url " + base + "/broken.csv");
  const auto missing = cli("lists fetch --url " + base + "/nothing.csv");
  server.stop();
  thread.join();

  ASSERT_EQ(ok.status, 0) << ok.err;
  EXPECT_NE(ok.out.find("sha256"), std::string::npos);
  const json first = json::parse(cli("lists status --json").out);
  EXPECT_FALSE(first["bundled"].get<bool>());
  for (const auto* r : {&wrong_sum, &broken, &missing}) {
    EXPECT_EQ(r->status, 2) << r->err;
    EXPECT_EQ(std::count(r->err.begin(), r->err.end(), '\n'), 1) << r->err;
  }
  EXPECT_NE(wrong_sum.err.find("checksum"), std::string::npos);
  EXPECT_NE(broken.err.find("broken.csv:3"), std::string::npos) << broken.err;
  // Neither failure replaced the good snapshot.
  EXPECT_EQ(json::parse(cli("lists status --json").out)["version"], first["version"]);
}

// A typo in a descriptor or legal-form word costs a little, not the match
// (issue 12, first step): the misspelt word pairs with the word it misspells
// as a typo. Where retrieval's score bound rules the candidate out before
// alignment ("Integrated Circut"), the miss remains: see the note.
TEST(ScreenCli, TypoInAVocabularyWordKeepsTheMatch) {
  Cli cli;
  const json typo = cli.screen("Inspur Grop");
  const json* hit = find_entry(typo, "Inspur Group", "EL");
  ASSERT_NE(hit, nullptr) << typo.dump();
  EXPECT_GE((*hit)["score"].get<double>(), 0.8);
  EXPECT_LT((*hit)["score"].get<double>(),
            find_entry(cli.screen("Inspur Group"), "Inspur Group", "EL")->at("score").get<double>());
  bool typo_shown = false;
  for (const auto& a : (*hit)["alignment"])
    typo_shown = typo_shown || (a["how"] == "typo" && a["listed"] == "group");
  EXPECT_TRUE(typo_shown) << (*hit)["alignment"].dump();
}
