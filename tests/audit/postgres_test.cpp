// The audit log on a real PostgreSQL server: one chain however many
// writers, and tampering caught as on SQLite.

#include <gtest/gtest.h>

#include <thread>

#include "audit/audit.h"
#include "pg_server.h"

using namespace exportctl;

namespace {

exportctl::testing::PgServer& pg() {
  static exportctl::testing::PgServer server;
  return server;
}

audit::Entry entry(int i) {
  return audit::make_entry("check", "writer-" + std::to_string(i % 3), {{"n", i}},
                           {{"decision", "LICENSE REQUIRED"}}, nlohmann::json::object(), {"R1"});
}

}  // namespace

TEST(AuditPostgres, WritersInSeveralHandlesKeepOneChain) {
  const std::string uri = pg().database("chain");
  // Two handles stand for two servers: each has its own writer connection.
  const auto a = audit::open_log(uri);
  const auto b = audit::open_log(uri);
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t)
    writers.emplace_back([&, t] {
      for (int i = t; i < 120; i += 4) (t % 2 ? a : b)->append(entry(i));
    });
  for (auto& w : writers) w.join();
  const auto report = audit::open_log(uri)->verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.records, 120);
  const auto page = a->list({"", "", 0, 3, "writer-1", ""});
  ASSERT_EQ(page.size(), 3u);
  EXPECT_EQ(page[0].entry.caller, "writer-1");
}

namespace {
// Fills a fresh database with ten records, runs one tampering statement on it
// and returns what verification reports.
audit::VerifyReport tampered(const std::string& name, const std::string& statement) {
  const std::string uri = pg().database(name);
  {
    const auto log = audit::open_log(uri);
    for (int i = 0; i < 10; ++i) log->append(entry(i));
  }
  pg().sql(name, statement);
  return audit::open_log(uri)->verify();
}
}  // namespace

TEST(AuditPostgres, AlteredRecordIsNamed) {
  const auto report = tampered("altered", "UPDATE audit SET caller = 'mallory' WHERE seq = 4");
  ASSERT_TRUE(report.first_bad);
  EXPECT_EQ(*report.first_bad, 4);
  EXPECT_NE(report.problem.find("altered"), std::string::npos) << report.problem;
}

TEST(AuditPostgres, RemovedRecordIsNamed) {
  const auto report = tampered("removed", "DELETE FROM audit WHERE seq = 7");
  ASSERT_TRUE(report.first_bad);
  EXPECT_EQ(*report.first_bad, 8);
  EXPECT_NE(report.problem.find("removed"), std::string::npos) << report.problem;
}

TEST(AuditPostgres, InsertedRecordIsNamed) {
  // Shift records 6.. up by one and put a forged record in the gap.
  const auto report =
      tampered("inserted",
               "UPDATE audit SET seq = -seq WHERE seq > 5; UPDATE audit SET seq = 1 - seq WHERE seq < 0; "
               "INSERT INTO audit SELECT 6, time, kind, 'mallory', request, response, versions, rule_ids, "
               "hash, hash FROM audit WHERE seq = 5");
  ASSERT_TRUE(report.first_bad);
  EXPECT_GE(*report.first_bad, 6);
  EXPECT_LE(*report.first_bad, 7);
}
