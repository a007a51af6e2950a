// exportctl serve, end to end: the real binary on a free loopback port,
// called over HTTP. Answers match the engine's, errors name the field, every
// decision is in the audit log before it is answered (also across SIGKILL),
// tampering is caught, the OpenAPI document matches real responses, and
// reloads swap the snapshot or leave it alone.

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <sstream>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "pg_server.h"
#include "test_util.h"

using exportctl::testing::TempDir;
using nlohmann::json;

namespace {

std::string cli(const TempDir& data, const std::string& args) {
  return std::string(EXPORTCTL_BINARY) + " --data-dir " + data.path().string() + " " + args;
}

// A running `exportctl serve`, stopped (SIGTERM) when destroyed.
class Server {
 public:
  Server(const TempDir& data, const std::string& args) {
    ready_ = data.path() / ("ready-" + std::to_string(++counter_));
    std::filesystem::remove(ready_);
    pid_ = fork();
    if (pid_ == 0) {
      const std::string command =
          cli(data, "serve --listen 127.0.0.1:0 --ready-file " + ready_.string() + " " + args + " >" +
                        (data.path() / "server.log").string() + " 2>&1");
      execl("/bin/sh", "sh", "-c", ("exec " + command).c_str(), nullptr);
      _exit(127);
    }
    for (int i = 0; i < 1500 && !std::filesystem::exists(ready_); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const std::string address = exportctl::testing::read_file(ready_);
    const auto colon = address.find(':');
    if (colon != std::string::npos) port_ = std::stoi(address.substr(colon + 1));
  }
  ~Server() { stop(SIGTERM); }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void stop(int sig) {
    if (pid_ <= 0) return;
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  void signal(int sig) const { kill(pid_, sig); }
  int port() const { return port_; }
  httplib::Client client(const std::string& token = {}) const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(30, 0);
    if (!token.empty()) c.set_bearer_token_auth(token.c_str());
    return c;
  }

 private:
  static inline int counter_ = 0;
  pid_t pid_ = -1;
  int port_ = -1;
  std::filesystem::path ready_;
};

json post(httplib::Client& c, const std::string& path, const json& body, int expect = 200) {
  const auto r = c.Post(path.c_str(), body.dump(), "application/json");
  EXPECT_TRUE(r) << path;
  if (!r) return {};
  EXPECT_EQ(r->status, expect) << path << " " << r->body;
  return json::parse(r->body);
}

json get(httplib::Client& c, const std::string& path, int expect = 200) {
  const auto r = c.Get(path.c_str());
  EXPECT_TRUE(r) << path;
  if (!r) return {};
  EXPECT_EQ(r->status, expect) << path << " " << r->body;
  return json::parse(r->body);
}

std::string add_key(const TempDir& data, const std::string& name) {
  const auto r = exportctl::testing::run(cli(data, "keys add " + name));
  EXPECT_EQ(r.status, 0) << r.err;
  std::string token = r.out;
  while (!token.empty() && token.back() == '\n') token.pop_back();
  return token;
}

// A minimal JSON Schema check, enough for the OpenAPI document's schemas:
// $ref, oneOf, type (with nullable), required and properties, items.
std::string schema_error(const json& doc, const json& schema, const json& value, const std::string& path) {
  if (schema.contains("$ref")) {
    const std::string ref = schema["$ref"];
    return schema_error(doc, doc["components"]["schemas"][ref.substr(ref.rfind('/') + 1)], value, path);
  }
  if (schema.contains("oneOf")) {
    for (const auto& s : schema["oneOf"])
      if (schema_error(doc, s, value, path).empty()) return {};
    return path + ": matches none of oneOf";
  }
  if (value.is_null() && schema.value("nullable", false)) return {};
  const std::string type = schema.value("type", "");
  const bool ok =
      type.empty() || (type == "object" && value.is_object()) || (type == "array" && value.is_array()) ||
      (type == "string" && value.is_string()) || (type == "number" && value.is_number()) ||
      (type == "integer" && value.is_number_integer()) || (type == "boolean" && value.is_boolean());
  if (!ok) return path + ": expected " + type + ", got " + value.type_name();
  if (type == "object") {
    const json required = schema.value("required", json::array());
    const json properties = schema.value("properties", json::object());
    for (const auto& key : required)
      if (!value.contains(key.get<std::string>()))
        return path + ": missing required '" + key.get<std::string>() + "'";
    for (const auto& [key, sub] : properties.items())
      if (value.contains(key))
        if (auto e = schema_error(doc, sub, value[key], path + "." + key); !e.empty()) return e;
  }
  if (type == "array" && schema.contains("items"))
    for (std::size_t i = 0; i < value.size(); ++i)
      if (auto e = schema_error(doc, schema["items"], value[i], path + "[" + std::to_string(i) + "]");
          !e.empty())
        return e;
  return {};
}

const json kCheck = {{"chip", "nvidia-h20"}, {"to", "CN"}, {"date", "2025-04-20"}};

}  // namespace

TEST(Server, AnswersOverHttpWithKeysAndRecordsEachDecision) {
  TempDir data;
  const std::string token = add_key(data, "erp-prod");
  Server server(data, "--audit sqlite:" + (data.path() / "audit.db").string());
  ASSERT_GT(server.port(), 0) << exportctl::testing::read_file(data.path() / "server.log");
  auto anonymous = server.client();
  EXPECT_EQ(get(anonymous, "/healthz")["status"], "ok");
  EXPECT_EQ(post(anonymous, "/v1/check", kCheck, 401)["error"]["message"].get<std::string>().find("API key"),
            3u);
  auto c = server.client(token);
  const json decision = post(c, "/v1/check", kCheck);
  EXPECT_EQ(decision["license_required"], true);
  EXPECT_EQ(decision["flags"], json({"is-informed"}));
  EXPECT_EQ(decision["audit"]["seq"], 1);
  // The same object the CLI prints.
  const auto cli_answer =
      exportctl::testing::run(cli(data, "check --chip nvidia-h20 --to CN --date 2025-04-20 --json"));
  json expected = json::parse(cli_answer.out);
  json served = decision;
  served.erase("audit");
  // The server's snapshot also indexes the lists (its versions name them); the answer is the same.
  served.erase("versions");
  expected.erase("versions");
  EXPECT_EQ(served, expected);
  EXPECT_EQ(post(c, "/v1/classify", {{"chip", "nvidia-h800-sxm5-80gb"}, {"date", "2024-01-01"}})["eccn"],
            "3A090.a");
  const json screened = post(c, "/v1/screen", {{"name", "华为技术有限公司"}});
  ASSERT_FALSE(screened["matches"].empty());
  EXPECT_EQ(screened["matches"][0]["entry"]["name"], "Huawei Technologies Co., Ltd.");
  EXPECT_EQ(get(c, "/v1/chips/nvidia-h20")["id"], "nvidia-h20");
  EXPECT_EQ(get(c, "/v1/chips/nvidia-h801", 404)["error"]["field"], "chip");
  EXPECT_FALSE(get(c, "/v1/rules?date=2025-06-01")["rules"].empty());

  const json page = get(c, "/v1/audit?limit=2");
  ASSERT_EQ(page["records"].size(), 2u);
  EXPECT_EQ(page["records"][0]["caller"], "erp-prod");
  EXPECT_EQ(page["records"][0]["kind"], "check");
  EXPECT_EQ(page["records"][1]["kind"], "classify");
  EXPECT_EQ(page["next_cursor"], 2);
  EXPECT_EQ(get(c, "/v1/audit?cursor=2")["records"][0]["kind"], "screen");
  const json verified = get(c, "/v1/audit/verify");
  EXPECT_EQ(verified["ok"], true);
  EXPECT_EQ(verified["records"], 3);
  const std::string metrics = c.Get("/metrics")->body;
  EXPECT_NE(metrics.find("exportctl_requests_total{endpoint=\"/v1/check\",status=\"200\"} 1"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("exportctl_audit_write_seconds_count{} 3"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("exportctl_snapshot_info{"), std::string::npos);
}

TEST(Server, BadInputIsA4xxNamingTheField) {
  TempDir data;
  Server server(data, "--no-auth --max-body 4096");
  auto c = server.client();
  auto field_of = [&](const json& body) { return post(c, "/v1/check", body, 400)["error"]["field"]; };
  EXPECT_EQ(field_of({{"chip", "nvidia-h20"}, {"to", "XX"}, {"date", "2025-04-20"}}), "to");
  EXPECT_EQ(field_of({{"chip", "nvidia-h20"}, {"to", "CN"}, {"date", "2025-02-30"}}), "date");
  EXPECT_EQ(field_of({{"chip", "nvidia-h20"}, {"to", "CN"}, {"date", "2025-04-20"}, {"party", {"Acme", 3}}}),
            "party[1]");
  EXPECT_EQ(field_of({{"chip", "nvidia-h20"}, {"to", "CN"}, {"date", "2025-04-20"}, {"bogus", 1}}), "bogus");
  EXPECT_EQ(field_of({{"spec",
                       {{"name", "x"}, {"kind", "ic"}, {"datacenter", true}, {"dense_tops", {{"fp8", -1}}}}},
                      {"to", "CN"},
                      {"date", "2025-04-20"}}),
            "spec.dense_tops.fp8");
  EXPECT_EQ(field_of({{"chip", "nvidia-h20"}, {"to", "CN"}, {"date", "2025-04-20"}, {"owners", {"Huawei"}}}),
            "owners[0]");
  const auto broken = c.Post("/v1/check", "{\"chip\": ", "application/json");
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->status, 400);
  EXPECT_TRUE(json::parse(broken->body)["error"]["field"].is_null());
  const auto deep = c.Post("/v1/check", std::string(2000, '['), "application/json");
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->status, 400);
  const auto big = c.Post("/v1/check", std::string(8192, ' '), "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  const auto none = c.Get("/v1/nothing");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
  EXPECT_TRUE(json::parse(none->body).contains("error"));
  // --no-auth is for loopback only.
  const auto r = exportctl::testing::run(cli(data, "serve --listen 0.0.0.0:0 --no-auth"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("loopback"), std::string::npos) << r.err;
}

TEST(Server, BatchesAnswerEachItemInOrder) {
  TempDir data;
  Server server(data, "--no-auth --audit sqlite:" + (data.path() / "audit.db").string());
  auto c = server.client();
  const json answers = post(c, "/v1/check",
                            {kCheck,
                             {{"chip", "nvidia-h20"}, {"to", "XX"}, {"date", "2025-04-20"}},
                             {{"chip", "nvidia-h100-sxm5-80gb"}, {"to", "IL"}, {"date", "2024-06-01"}}});
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0]["license_required"], true);
  EXPECT_EQ(answers[1]["error"]["field"], "to");
  EXPECT_EQ(answers[1]["error"]["item"], 1);
  EXPECT_EQ(answers[2]["license_required"], false);
  EXPECT_EQ(get(c, "/v1/audit/verify")["records"], 2);  // errors are not decisions
  EXPECT_EQ(post(c, "/v1/classify", json::array()), json::array());
}

TEST(Server, OpenApiDocumentMatchesRealResponses) {
  TempDir data;
  Server server(data, "--no-auth --audit sqlite:" + (data.path() / "audit.db").string());
  auto c = server.client();
  const json doc = get(c, "/openapi.json");
  EXPECT_EQ(doc["openapi"], "3.0.3");
  auto check = [&](const std::string& path, const std::string& method, const json& response,
                   int status = 200) {
    const json& schema = doc["paths"][path][method]["responses"][std::to_string(status)]["content"]
                            ["application/json"]["schema"];
    ASSERT_FALSE(schema.is_null()) << path << " " << status;
    EXPECT_EQ(schema_error(doc, schema, response, path), "") << response.dump().substr(0, 400);
  };
  check("/v1/check", "post", post(c, "/v1/check", kCheck));
  check("/v1/check", "post",
        post(c, "/v1/check", {{"chip", "amd-mi308x"}, {"to", "CN"}, {"date", "2024-06-01"}}));
  check("/v1/check", "post", post(c, "/v1/check", {{"to", "XX"}}, 400), 400);
  check("/v1/classify", "post", post(c, "/v1/classify", {{"chip", "nvidia-h20"}, {"date", "2025-06-01"}}));
  check("/v1/impact", "post",
        post(c, "/v1/impact",
             {{"orders", exportctl::testing::read_file(exportctl::testing::source_root() +
                                                       "/examples/orders-2025.csv")},
              {"before", "2025-04-08"},
              {"after", "2025-04-15"}}));
  check("/v1/screen", "post", post(c, "/v1/screen", {{"name", "Huawei"}}));
  check("/v1/screen", "post", post(c, "/v1/screen", {{"name", "中芯国际集成电路制造有限公司"}}));
  check("/v1/screen", "post", post(c, "/v1/screen", {{"name", "DeepSeek"}}));
  check("/v1/chips", "get", get(c, "/v1/chips"));
  check("/v1/chips/{id}", "get", get(c, "/v1/chips/nvidia-h20"));
  check("/v1/rules", "get", get(c, "/v1/rules?date=2025-01-01"));
  check("/v1/audit", "get", get(c, "/v1/audit"));
  check("/v1/audit/verify", "get", get(c, "/v1/audit/verify"));
  check("/healthz", "get", get(c, "/healthz"));
}

TEST(Server, ReloadRefusesABrokenRulesFolder) {
  TempDir data;
  TempDir rules;
  std::filesystem::copy(exportctl::testing::rules_dir(), rules.path(),
                        std::filesystem::copy_options::recursive);
  // --rules is a global option: it goes before the subcommand.
  const std::string ready = (data.path() / "ready-r").string();
  pid_t pid = fork();
  if (pid == 0) {
    const std::string command = std::string(EXPORTCTL_BINARY) + " --data-dir " + data.path().string() +
                                " --rules " + rules.path().string() +
                                " serve --listen 127.0.0.1:0 --no-auth --ready-file " + ready +
                                " >/dev/null 2>&1";
    execl("/bin/sh", "sh", "-c", ("exec " + command).c_str(), nullptr);
    _exit(127);
  }
  for (int i = 0; i < 1500 && !std::filesystem::exists(ready); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const std::string address = exportctl::testing::read_file(ready);
  httplib::Client c("127.0.0.1", std::stoi(address.substr(address.find(':') + 1)));
  const std::string before = get(c, "/healthz")["versions"]["rules"];
  // Break the folder: reload is refused and the old snapshot answers.
  std::ofstream(rules.path() / "classification" / "broken.yaml") << "id: [unclosed\n";
  json refused = post(c, "/v1/admin/reload", json::object(), 422);
  EXPECT_EQ(refused["ok"], false);
  EXPECT_EQ(get(c, "/healthz")["versions"]["rules"], before);
  EXPECT_EQ(post(c, "/v1/check", kCheck)["license_required"], true);
  // Fix it with a real change: the reload is taken, by HTTP and by SIGHUP.
  std::filesystem::remove(rules.path() / "classification" / "broken.yaml");
  std::ofstream(rules.path() / "dataset.yaml", std::ios::app) << "# edited\n";
  EXPECT_EQ(post(c, "/v1/admin/reload", json::object())["ok"], true);
  const std::string after = get(c, "/healthz")["versions"]["rules"];
  EXPECT_NE(after, before);
  std::ofstream(rules.path() / "dataset.yaml", std::ios::app) << "# edited again\n";
  kill(pid, SIGHUP);
  std::string latest = after;
  for (int i = 0; i < 100 && latest == after; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    latest = get(c, "/healthz")["versions"]["rules"];
  }
  EXPECT_NE(latest, after);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
}

// SIGKILL while clients write: every answer a client received is in the log
// after a restart, and the chain verifies.
TEST(Server, EveryAnsweredDecisionSurvivesSigkill) {
  TempDir data;
  const std::string db = (data.path() / "audit.db").string();
  std::vector<std::pair<std::int64_t, std::string>> acknowledged;
  std::mutex mutex;
  {
    Server server(data, "--no-auth --audit sqlite:" + db);
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int t = 0; t < 4; ++t)
      clients.emplace_back([&] {
        auto c = server.client();
        while (!stop.load()) {
          const auto r = c.Post("/v1/check", kCheck.dump(), "application/json");
          if (!r || r->status != 200) continue;
          const json j = json::parse(r->body);
          std::lock_guard lock(mutex);
          acknowledged.emplace_back(j["audit"]["seq"].get<std::int64_t>(),
                                    j["audit"]["hash"].get<std::string>());
        }
      });
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    server.stop(SIGKILL);
    stop.store(true);
    for (auto& t : clients) t.join();
  }
  ASSERT_GT(acknowledged.size(), 10u);
  Server restarted(data, "--no-auth --audit sqlite:" + db);
  auto c = restarted.client();
  const json verified = get(c, "/v1/audit/verify");
  EXPECT_EQ(verified["ok"], true) << verified.dump();
  EXPECT_GE(verified["records"].get<std::size_t>(), acknowledged.size());
  // Each acknowledged record is there with the hash the client was given.
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::size_t found = 0;
  for (const auto& [seq, hash] : acknowledged) {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(h, "SELECT hash FROM audit WHERE seq = ?", -1, &s, nullptr);
    sqlite3_bind_int64(s, 1, seq);
    if (sqlite3_step(s) == SQLITE_ROW && hash == reinterpret_cast<const char*>(sqlite3_column_text(s, 0)))
      ++found;
    sqlite3_finalize(s);
  }
  sqlite3_close(h);
  EXPECT_EQ(found, acknowledged.size());
  // The log goes on from where it was.
  EXPECT_EQ(post(c, "/v1/check", kCheck)["audit"]["seq"], verified["records"].get<std::int64_t>() + 1);
}

// The newcomer's session: check, see it in the log, edit the file, and watch
// `audit verify` point at the altered record.
TEST(Server, AuditVerifyPointsAtTheEditedRecord) {
  TempDir data;
  const std::string db = (data.path() / "audit.db").string();
  {
    Server server(data, "--no-auth --audit sqlite:" + db);
    auto c = server.client();
    for (int i = 0; i < 5; ++i) post(c, "/v1/check", kCheck);
  }
  auto ok = exportctl::testing::run(cli(data, "audit verify --audit sqlite:" + db));
  EXPECT_EQ(ok.status, 0) << ok.out << ok.err;
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  sqlite3_exec(h, "UPDATE audit SET caller = 'someone-else' WHERE seq = 3", nullptr, nullptr, nullptr);
  sqlite3_close(h);
  const auto broken = exportctl::testing::run(cli(data, "audit verify --audit sqlite:" + db));
  EXPECT_EQ(broken.status, 4);
  EXPECT_NE(broken.out.find("BROKEN at record 3"), std::string::npos) << broken.out;
  const auto exported = exportctl::testing::run(cli(data, "audit export --audit sqlite:" + db));
  EXPECT_EQ(std::count(exported.out.begin(), exported.out.end(), '\n'), 5);
}

// `check --audit` writes the same log as the server.
TEST(Server, CheckOnTheCommandLineWritesTheSameLog) {
  TempDir data;
  const std::string db = (data.path() / "audit.db").string();
  auto r = exportctl::testing::run(
      cli(data, "check --chip nvidia-h20 --to CN --date 2025-04-20 --json --audit sqlite:" + db));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["audit"]["seq"], 1);
  const auto tx = data.write("tx.csv", "chip,to,date\nnvidia-h20,CN,2025-04-20\nnvidia-l4,DE,2025-04-20\n");
  r = exportctl::testing::run(cli(data, "check --file " + tx.string() + " --out " +
                                            (data.path() / "o.csv").string() +
                                            " --no-progress --audit sqlite:" + db));
  ASSERT_EQ(r.status, 0) << r.err;
  r = exportctl::testing::run(cli(data, "audit verify --json --audit sqlite:" + db));
  const json report = json::parse(r.out);
  EXPECT_EQ(report["ok"], true);
  EXPECT_EQ(report["records"], 3);
}

// Two servers, one PostgreSQL log: both write at once, the chain is whole,
// and every answer either gave is in it.
TEST(Server, TwoServersShareOnePostgresLog) {
  exportctl::testing::PgServer pg;
  const std::string uri = pg.database("shared");
  TempDir data;
  Server first(data, "--no-auth --audit " + uri);
  Server second(data, "--no-auth --audit " + uri);
  ASSERT_GT(first.port(), 0);
  ASSERT_GT(second.port(), 0);
  std::mutex mutex;
  std::set<std::pair<std::int64_t, std::string>> acknowledged;
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t)
    clients.emplace_back([&, t] {
      auto c = (t % 2 ? first : second).client();
      for (int i = 0; i < 25; ++i) {
        const auto r = c.Post("/v1/check", kCheck.dump(), "application/json");
        ASSERT_TRUE(r && r->status == 200);
        const json j = json::parse(r->body);
        std::lock_guard lock(mutex);
        acknowledged.emplace(j["audit"]["seq"].get<std::int64_t>(), j["audit"]["hash"].get<std::string>());
      }
    });
  for (auto& t : clients) t.join();
  EXPECT_EQ(acknowledged.size(), 100u);  // no sequence number given twice
  auto c = first.client();
  const json verified = get(c, "/v1/audit/verify");
  EXPECT_EQ(verified["ok"], true) << verified.dump();
  EXPECT_EQ(verified["records"], 100);
  std::size_t found = 0;
  for (std::int64_t cursor = 0;;) {
    const json page = get(c, "/v1/audit?limit=1000&cursor=" + std::to_string(cursor));
    for (const auto& r : page["records"])
      found += acknowledged.count({r["seq"].get<std::int64_t>(), r["hash"].get<std::string>()});
    if (page["next_cursor"].is_null()) break;
    cursor = page["next_cursor"];
  }
  EXPECT_EQ(found, 100u);
  // The command line verifies the same log.
  const auto r = exportctl::testing::run(cli(data, "audit verify --audit " + uri));
  EXPECT_EQ(r.status, 0) << r.out << r.err;
}

// Impact over HTTP: the summary of the example book, and errors naming the
// JSON field with the line of the order book or of the scenario text.
TEST(Server, ImpactAnswersWithTheSummaryAndNamesBadFields) {
  TempDir data;
  Server server(data, "--no-auth");
  auto c = server.client();
  const std::string header =
      "order_id,item,quantity,unit_price,currency,destination,end_user,hq,ship_date,export_from\n";
  const json summary = post(c, "/v1/impact",
                            {{"orders", header + "A1,nvidia-h20,10,100.50,USD,CN,Cust,,2025-04-20,US\n"},
                             {"before", "2025-04-08"},
                             {"after", "2025-04-15"}});
  EXPECT_EQ(summary["by_change"]["newly_required"]["orders"], 1);
  EXPECT_DOUBLE_EQ(summary["by_change"]["newly_required"]["revenue"]["USD"].get<double>(), 1005.0);
  const json bad_row = post(c, "/v1/impact",
                            {{"orders", header + "A1,nvidia-h20,ten,1,USD,CN,Cust,,2025-04-20,US\n"},
                             {"before", "2025-04-08"},
                             {"after", "2025-04-15"},
                             {"strict", true}},
                            400);
  EXPECT_EQ(bad_row["error"]["field"], "orders");
  EXPECT_EQ(bad_row["error"]["message"].get<std::string>().rfind("line 2: column 'quantity'", 0), 0u)
      << bad_row;
  const json bad_scenario =
      post(c, "/v1/impact",
           {{"orders", header},
            {"before", "2025-04-08"},
            {"after", "2025-04-15"},
            {"scenarios", {"id: S\nkind: lift\ntitle: t\neffective_from: 2027-01-01\n"}}},
           400);
  EXPECT_EQ(bad_scenario["error"]["field"], "scenarios[0]");
  EXPECT_NE(bad_scenario["error"]["message"].get<std::string>().find("'lifts': is required"),
            std::string::npos)
      << bad_scenario;
  EXPECT_EQ(post(c, "/v1/impact", {{"orders", header}, {"before", "2025-04-08"}}, 400)["error"]["field"],
            "after");
  EXPECT_EQ(post(c, "/v1/impact", {{"orders", header}, {"before", "x"}, {"after", "2025-04-15"}},
                 400)["error"]["field"],
            "before");
}

// Issue 12: one name gets the same matches from `screen`, a batch file,
// `check --party`, and the server's /v1/screen and /v1/check; watch entries
// are shown beside the answer everywhere and never change it.
TEST(Server, EveryFrontEndGivesTheSameMatchesForAName) {
  TempDir data;
  const std::string token = add_key(data, "consistency");
  Server server(data, "");
  ASSERT_GT(server.port(), 0) << exportctl::testing::read_file(data.path() / "server.log");
  auto c = server.client(token);
  const std::vector<std::string> names = {"中芯国际集成电路制造有限公司", "Inspur Grop",
                                          "Huawei Tecnologies Co Ltd", "Chengdu HaiguangIntegrated Circuit",
                                          "DeepSeek"};
  // What the matches say, whichever front end rendered them.
  const auto el_keys = [](const json& matches, const char* id_path) {
    std::vector<std::string> out;
    for (const auto& m : matches)
      if (id_path[0] == 'e' ? m["entry"]["source_code"] == "EL" : true)
        out.push_back(m["entry"]["id"].get<std::string>() + " " + m["matched_name"].get<std::string>());
    return out;
  };
  std::string batch_in = "name\n";
  for (const auto& n : names) batch_in += "\"" + n + "\"\n";
  const auto in = data.write("parties.csv", batch_in);
  const auto out = data.path() / "results.jsonl";
  ASSERT_EQ(exportctl::testing::run(cli(data, "screen --file " + in.string() +
                                                  " --name-column name --format jsonl --out " + out.string()))
                .status,
            0);
  std::vector<json> batch;
  {
    std::istringstream lines(exportctl::testing::read_file(out));
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) batch.push_back(json::parse(line));
  }
  ASSERT_EQ(batch.size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    const auto r = exportctl::testing::run(cli(data, "screen '" + name + "' --json"));
    ASSERT_EQ(r.status, 0) << r.err;
    json single = json::parse(r.out);
    json served = post(c, "/v1/screen", {{"name", name}});
    single.erase("versions");
    served.erase("versions");
    served.erase("audit");
    json batched = batch[i];
    batched.erase("versions");
    EXPECT_EQ(served, single) << name;
    EXPECT_EQ(batched["matches"], single["matches"]) << name;
    EXPECT_EQ(batched.value("watch", json()), single.value("watch", json())) << name;

    // check --party, on the command line and over HTTP: the Entity List hits are the screen's.
    const json body = {{"chip", "nvidia-h20"}, {"to", "CN"}, {"date", "2025-06-01"}, {"party", {name}}};
    const json checked = post(c, "/v1/check", body);
    const auto cr = exportctl::testing::run(
        cli(data, "check --chip nvidia-h20 --to CN --date 2025-06-01 --party '" + name + "' --json"));
    json checked_cli = json::parse(cr.out);
    std::vector<std::string> party_keys;
    for (const auto& p : checked["party_matches"])
      party_keys.push_back(p["entry"]["id"].get<std::string>() + " " + p["matched_name"].get<std::string>());
    EXPECT_EQ(party_keys, el_keys(single["matches"], "el")) << name;
    EXPECT_EQ(checked["party_matches"], checked_cli["party_matches"]) << name;
    EXPECT_EQ(checked.value("watch", json()), checked_cli.value("watch", json())) << name;
    EXPECT_EQ(checked.contains("watch"), single.contains("watch")) << name;
  }
  // A watch entry never changes the answer: DeepSeek as the party, or no party, same decision.
  const json with =
      post(c, "/v1/check",
           {{"chip", "nvidia-h20"}, {"to", "CN"}, {"date", "2025-06-01"}, {"party", {"DeepSeek"}}});
  const json without = post(c, "/v1/check", {{"chip", "nvidia-h20"}, {"to", "CN"}, {"date", "2025-06-01"}});
  ASSERT_TRUE(with.contains("watch"));
  EXPECT_EQ(with["decision"], without["decision"]);
  EXPECT_EQ(with["requirements"], without["requirements"]);
  EXPECT_EQ(with["policy"], without["policy"]);
  EXPECT_TRUE(with["party_matches"].empty());
}
