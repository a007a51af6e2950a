// `exportctl impact` through the binary: the README example, the output
// folder written all or nothing (strict failures, an interrupted run, an
// existing folder replaced whole), and the table on stdout.

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "test_util.h"

using exportctl::testing::run;
using exportctl::testing::TempDir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string cli(const std::string& args) {
  static const TempDir data_dir;
  return std::string(EXPORTCTL_BINARY) + " --data-dir " + data_dir.path().string() + " " + args;
}

std::string example(const std::string& name) {
  return exportctl::testing::source_root() + "/examples/" + name;
}

bool has_partial(const fs::path& dir, const std::string& name) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind("." + name + ".partial.", 0) == 0) return true;
  return false;
}

}  // namespace

TEST(ImpactCli, ReadmeExampleShowsTheApril2025Shape) {
  TempDir tmp;
  const auto out = tmp.path() / "impact";
  const auto r = run(cli("impact --orders " + example("orders-2025.csv") +
                         " --before 2025-04-08 --after 2025-04-15 --no-progress --out " + out.string()));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("newly_required"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("undetermined before, waiting for: tpp"), std::string::npos) << r.out;
  for (const char* f : {"summary.json", "changes.csv", "report.html"}) EXPECT_TRUE(fs::exists(out / f)) << f;
  const json s = json::parse(exportctl::testing::read_file(out / "summary.json"));
  // Every H20 order to China is newly required; every MI308 order waits for its TPP.
  EXPECT_GT(s["by_chip"]["nvidia-h20"]["newly_required"]["orders"].get<int>(), 0);
  EXPECT_FALSE(s["by_chip"]["nvidia-h20"].contains("unchanged"));
  EXPECT_GT(s["by_chip"]["amd-mi308x"]["undetermined"]["orders"].get<int>(), 0);
  EXPECT_EQ(s["by_chip"]["amd-mi308x"].size(), 1u);
  EXPECT_EQ(s["orders"].get<int>() + 1,
            static_cast<int>(std::count(
                std::istreambuf_iterator<char>(*std::make_unique<std::ifstream>(out / "changes.csv")),
                std::istreambuf_iterator<char>(), '\n')));
  EXPECT_FALSE(has_partial(tmp.path(), "impact"));
  // --json prints the same summary.
  const auto j = run(cli("impact --orders " + example("orders-2025.csv") +
                         " --before 2025-04-08 --after 2025-04-15 --no-progress --json"));
  ASSERT_EQ(j.status, 0) << j.err;
  EXPECT_EQ(json::parse(j.out)["by_change"], s["by_change"]);
}

TEST(ImpactCli, StrictStopsAtTheFirstBadRowAndWritesNothing) {
  TempDir tmp;
  const auto book =
      tmp.write("orders.csv",
                "order_id,item,quantity,unit_price,currency,destination,end_user,hq,ship_date,export_from\n"
                "O1,nvidia-h20,1,10,USD,CN,C,,2025-04-20,US\n"
                "O2,nvidia-h20,-3,10,USD,CN,C,,2025-04-20,US\n");
  const auto out = tmp.path() / "out";
  const auto strict =
      run(cli("impact --orders " + book.string() +
              " --before 2025-04-08 --after 2025-04-15 --strict --no-progress --out " + out.string()));
  EXPECT_EQ(strict.status, 2);
  EXPECT_TRUE(strict.out.empty()) << strict.out;
  EXPECT_NE(strict.err.find("orders.csv:3"), std::string::npos) << strict.err;
  EXPECT_NE(strict.err.find("column 'quantity'"), std::string::npos) << strict.err;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(has_partial(tmp.path(), "out"));
  const auto lenient =
      run(cli("impact --orders " + book.string() +
              " --before 2025-04-08 --after 2025-04-15 --no-progress --out " + out.string()));
  EXPECT_EQ(lenient.status, 0) << lenient.err;
  EXPECT_NE(lenient.out.find("1 bad rows skipped"), std::string::npos) << lenient.out;
  EXPECT_NE(lenient.out.find("skipped line 3: column 'quantity'"), std::string::npos) << lenient.out;
}

TEST(ImpactCli, BadFlagsAndScenariosAreInputErrors) {
  const std::string orders = example("orders-2025.csv");
  for (const auto& [args, fragment] : std::vector<std::pair<std::string, std::string>>{
           {"--before 2025-4-8 --after 2025-04-15", "--before"},
           {"--before 2025-04-08 --after 1999-01-01", "--after"},
           {"--before 2025-04-08 --after 2025-04-15 --scenario /no/such.yaml", "scenario file not found"},
       }) {
    const auto r = run(cli("impact --orders " + orders + " " + args + " --no-progress"));
    EXPECT_EQ(r.status, 2) << args;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_NE(r.err.find(fragment), std::string::npos) << args << ": " << r.err;
  }
  TempDir tmp;
  const auto bad = tmp.write(
      "bad.yaml", "id: X\nkind: lift\ntitle: t\neffective_from: 2027-01-01\nlifts: [NO-SUCH-RULE]\n");
  const auto r = run(cli("impact --orders " + orders +
                         " --before 2025-04-08 --after 2027-02-01 --no-progress --scenario " + bad.string()));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("bad.yaml:1: field 'lifts': 'NO-SUCH-RULE' names no"), std::string::npos) << r.err;
  const auto v =
      run(cli("rules validate " + exportctl::testing::rules_dir() + " --scenario " + bad.string()));
  EXPECT_EQ(v.status, 2);
  EXPECT_NE(v.out.find("NO-SUCH-RULE"), std::string::npos) << v.out;
  const auto ok = run(cli("rules validate " + exportctl::testing::rules_dir() + " --scenario " +
                          example("scenarios/tpp-3000.yaml")));
  EXPECT_EQ(ok.status, 0) << ok.out;
  EXPECT_NE(ok.out.find("CLS-2023 ends 2026-12-31: superseded by scenario WHATIF-TPP-3000"),
            std::string::npos)
      << ok.out;
}

// Killed while it runs, impact leaves no output folder (only a hidden
// temporary one, which the next run removes); an existing folder is replaced whole.
TEST(ImpactCli, InterruptedRunLeavesNoPartialOutput) {
  TempDir tmp;
  {
    std::ofstream book(tmp.path() / "big.csv");
    book << "order_id,item,quantity,unit_price,currency,destination,end_user,hq,ship_date,export_from\n";
    const char* items[] = {"nvidia-h20", "nvidia-l20", "nvidia-h100-sxm5-80gb", "amd-mi300x"};
    const char* dests[] = {"CN", "JP", "DE", "SG", "IN"};
    for (int i = 0; i < 1500000; ++i)
      book << "O" << i << "," << items[i % 4] << "," << (i % 50 + 1) << ",1000.00,USD," << dests[i % 5]
           << ",Customer " << (i % 997) << ",,2025-0" << (i % 9 + 1) << "-15,US\n";
  }
  const auto out = tmp.path() / "out";
  fs::create_directories(out);
  std::ofstream(out / "old-file.txt") << "from an earlier run";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string data = (tmp.path() / "data").string();
    execl(EXPORTCTL_BINARY, EXPORTCTL_BINARY, "--data-dir", data.c_str(), "impact", "--orders",
          (tmp.path() / "big.csv").c_str(), "--before", "2025-04-08", "--after", "2025-04-15",
          "--no-progress", "--out", out.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Kill it once it is writing into its temporary folder.
  bool seen = false;
  for (int i = 0; i < 20000 && !seen; ++i) {
    seen = has_partial(tmp.path(), "out");
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_TRUE(seen) << "the run never started writing";
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run finished before it was killed; make the book larger";
  // The earlier output is untouched: no half-written report replaced it.
  EXPECT_TRUE(fs::exists(out / "old-file.txt"));
  EXPECT_FALSE(fs::exists(out / "summary.json"));
  // A complete run replaces the folder whole and removes the killed run's temporary folder.
  const auto small =
      tmp.write("small.csv",
                "order_id,item,quantity,unit_price,currency,destination,end_user,hq,ship_date,export_from\n"
                "O1,nvidia-h20,1,10,USD,CN,C,,2025-04-20,US\n");
  const auto r = run(cli("impact --orders " + small.string() +
                         " --before 2025-04-08 --after 2025-04-15 --no-progress --out " + out.string()));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::exists(out / "summary.json"));
  EXPECT_FALSE(fs::exists(out / "old-file.txt"));
  EXPECT_FALSE(has_partial(tmp.path(), "out"));
}
