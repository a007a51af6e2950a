// The audit log on SQLite: appends from many threads form one chain, and
// every kind of tampering (alter, remove, insert, truncate) is caught and
// the record named.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <thread>

#include "audit/audit.h"
#include "core/error.h"
#include "core/json.h"
#include "test_util.h"

using namespace exportctl;
using nlohmann::json;

namespace {

audit::Entry entry(int i) {
  return audit::make_entry("check", "tester", {{"chip", "nvidia-h20"}, {"to", "CN"}, {"n", i}},
                           {{"decision", i % 2 ? "LICENSE REQUIRED" : "NO LICENSE REQUIRED"}},
                           {{"rules", "sha256:test"}}, {"R2025-04-09-H20"});
}

void sql(const std::filesystem::path& db, const std::string& statement) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(h, statement.c_str(), nullptr, nullptr, &error);
  const std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(h);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

// A log of `n` records written by four threads at once.
std::filesystem::path filled(const exportctl::testing::TempDir& dir, int n) {
  const auto path = dir.path() / "audit.db";
  const auto log = audit::open_log("sqlite:" + path.string());
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t)
    writers.emplace_back([&, t] {
      for (int i = t; i < n; i += 4) log->append(entry(i));
    });
  for (auto& w : writers) w.join();
  return path;
}

audit::VerifyReport verify(const std::filesystem::path& db, const std::string& head = {}) {
  return audit::open_log("sqlite:" + db.string())->verify(head);
}

}  // namespace

TEST(Audit, ConcurrentAppendsFormOneChain) {
  exportctl::testing::TempDir dir;
  const auto db = filled(dir, 200);
  const auto report = verify(db);
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.records, 200);
  EXPECT_EQ(report.head_seq, 200);
  const auto log = audit::open_log("sqlite:" + db.string());
  const auto page = log->list({"", "", 10, 5, "", ""});
  ASSERT_EQ(page.size(), 5u);
  EXPECT_EQ(page[0].seq, 11);
  EXPECT_EQ(page[0].entry.caller, "tester");
  EXPECT_EQ(page[0].hash, audit::record_hash(page[0]));
  EXPECT_EQ(page[1].prev_hash, page[0].hash);
}

// The hashed text is built by concatenation; it must be exactly the canonical
// JSON of the record (sorted keys, compact), which an auditor can rebuild
// from an export with any JSON library.
TEST(Audit, CanonicalTextIsTheSortedCompactJsonOfTheRecord) {
  audit::Record r;
  r.seq = 42;
  r.time = "2026-12-01T22:00:31.123Z";
  r.entry =
      audit::make_entry("check", "caf\u00e9 \"key\"", {{"to", "CN"}, {"chip", "nvidia-h20"}, {"tpp", 2.5}},
                        {{"reasons", json::array({"a\nb"})}, {"decision", "LICENSE REQUIRED"}},
                        {{"rules", "sha256:x"}}, {"R1", "R2"});
  r.prev_hash = std::string(64, 'a');
  json expected = audit::to_json(r);
  expected.erase("hash");
  EXPECT_EQ(audit::canonical_text(r), expected.dump());
}

TEST(Audit, AppendReturnsTheDurableRecord) {
  exportctl::testing::TempDir dir;
  const auto log = audit::open_log("sqlite:" + (dir.path() / "a.db").string());
  const auto first = log->append(entry(1));
  const auto second = log->append(entry(2));
  EXPECT_EQ(first.seq, 1);
  EXPECT_EQ(first.prev_hash, audit::kGenesisHash);
  EXPECT_EQ(second.prev_hash, first.hash);
  // A second handle (another process, say) sees both, and extends the same chain.
  const auto other = audit::open_log("sqlite:" + (dir.path() / "a.db").string());
  EXPECT_EQ(other->append(entry(3)).prev_hash, second.hash);
  EXPECT_TRUE(other->verify().ok);
}

TEST(Audit, AlteredRecordIsNamed) {
  exportctl::testing::TempDir dir;
  const auto db = filled(dir, 20);
  sql(db, "UPDATE audit SET response = '{\"decision\":\"NO LICENSE REQUIRED (altered)\"}' WHERE seq = 8");
  const auto report = verify(db);
  EXPECT_FALSE(report.ok);
  ASSERT_TRUE(report.first_bad);
  EXPECT_EQ(*report.first_bad, 8);
  EXPECT_NE(report.problem.find("altered"), std::string::npos) << report.problem;
}

// Large responses are stored compressed; reading gives back the exact text,
// and a damaged compressed value is an altered record, not a failed scan.
TEST(Audit, CompressedResponsesRoundTripAndDamageIsNamed) {
  exportctl::testing::TempDir dir;
  const auto db = dir.path() / "a.db";
  const json big = {{"reasons", std::vector<std::string>(200, "eccn 3A090.a is one of 3A090.a, 3A090.b")}};
  {
    const auto log = audit::open_log("sqlite:" + db.string());
    for (int i = 1; i <= 5; ++i)
      log->append(audit::make_entry("check", "tester", {{"n", i}}, big, json::object(), {"R1"}));
  }
  const auto log = audit::open_log("sqlite:" + db.string());
  const auto page = log->list({"", "", 0, 5, "", ""});
  ASSERT_EQ(page.size(), 5u);
  EXPECT_EQ(page[2].entry.response, dump_json(big));
  EXPECT_EQ(audit::to_json(page[2])["response"], big);
  {
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(h, "SELECT typeof(response), length(response) FROM audit WHERE seq = 3", -1, &st,
                       nullptr);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "blob");
    EXPECT_LT(sqlite3_column_int(st, 1) * 4, static_cast<int>(dump_json(big).size()));
    sqlite3_finalize(st);
    sqlite3_close(h);
  }
  sql(db, "UPDATE audit SET response = substr(response, 1, length(response) - 3) WHERE seq = 3");
  const auto report = verify(db);
  ASSERT_TRUE(report.first_bad);
  EXPECT_EQ(*report.first_bad, 3);
  EXPECT_NE(report.problem.find("altered"), std::string::npos) << report.problem;
}

TEST(Audit, AlteredHashIsNamed) {
  exportctl::testing::TempDir dir;
  const auto db = filled(dir, 20);
  // Rewriting one record together with its own hash breaks the link to the next.
  sql(db, "UPDATE audit SET hash = '" + std::string(64, 'a') + "' WHERE seq = 5");
  const auto report = verify(db);
  ASSERT_TRUE(report.first_bad);
  EXPECT_EQ(*report.first_bad, 5);
}

TEST(Audit, RemovedRecordIsNamed) {
  exportctl::testing::TempDir dir;
  const auto db = filled(dir, 20);
  sql(db, "DELETE FROM audit WHERE seq = 12");
  const auto report = verify(db);
  ASSERT_TRUE(report.first_bad);
  EXPECT_EQ(*report.first_bad, 13);
  EXPECT_NE(report.problem.find("12 to 12 are missing"), std::string::npos) << report.problem;
}

TEST(Audit, InsertedRecordIsNamed) {
  exportctl::testing::TempDir dir;
  const auto db = filled(dir, 20);
  // Make room after record 6 and insert a forged record 7, hashed correctly
  // but claiming to follow record 6: the old record 7 (now 8) no longer fits.
  sql(db, "UPDATE audit SET seq = -seq WHERE seq > 6; UPDATE audit SET seq = 1 - seq WHERE seq < 0");
  const auto log = audit::open_log("sqlite:" + db.string());
  const auto six = log->list({"", "", 5, 1, "", ""}).at(0);
  audit::Record forged;
  forged.seq = 7;
  forged.time = six.time;
  forged.entry = entry(99);
  forged.prev_hash = six.hash;
  forged.hash = audit::record_hash(forged);
  sql(db, "INSERT INTO audit VALUES (7, '" + forged.time + "', 'check', 'tester', '{}', '{}', '{}', '[]', '" +
              forged.prev_hash + "', '" + forged.hash + "')");
  const auto report = verify(db);
  ASSERT_TRUE(report.first_bad);
  EXPECT_LE(*report.first_bad, 8);
  EXPECT_GE(*report.first_bad, 7);
}

TEST(Audit, TruncationShowsAgainstTheExpectedHead) {
  exportctl::testing::TempDir dir;
  const auto db = filled(dir, 20);
  const auto before = verify(db);
  const std::string head = std::to_string(before.head_seq) + ":" + before.head_hash;
  EXPECT_TRUE(verify(db, head).ok);
  sql(db, "DELETE FROM audit WHERE seq > 17");
  EXPECT_TRUE(verify(db).ok);            // the chain itself is whole...
  const auto report = verify(db, head);  // ...but it ends before the head recorded elsewhere
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.problem.find("expected head"), std::string::npos) << report.problem;
}

TEST(Audit, BadSpecIsAnInputError) {
  EXPECT_THROW(audit::open_log("mysql://x"), InputError);
  EXPECT_THROW(audit::open_log("sqlite:"), InputError);
  EXPECT_THROW(audit::open_log("sqlite:/nonexistent/dir/audit.db"), InputError);
}
