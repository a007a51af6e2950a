// The shared audit log: one PostgreSQL table written by any number of
// exportctl processes. One chain, serialized in the database: each batch
// takes a transaction-scoped advisory lock, reads the head, appends and
// commits (synchronous_commit on), so the chain has a single order however
// many servers write it, and `audit verify` checks it as one.

#include <libpq-fe.h>

#include <mutex>

#include "audit/internal.h"
#include "core/error.h"
#include "core/json.h"

namespace exportctl::audit {

namespace {

using nlohmann::json;

// Any constant works: every writer of this schema takes the same lock.
constexpr const char* kLock = "SELECT pg_advisory_xact_lock(7308251173)";

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS audit ("
    " seq BIGINT PRIMARY KEY, time TEXT NOT NULL, kind TEXT NOT NULL, caller TEXT NOT NULL,"
    " request TEXT NOT NULL, response TEXT NOT NULL, versions TEXT NOT NULL, rule_ids TEXT NOT NULL,"
    " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS audit_time ON audit(time);";

constexpr const char* kColumns =
    "seq, time, kind, caller, request, response, versions, rule_ids, prev_hash, hash";

class Connection {
 public:
  Connection(const std::string& uri, std::string label) : label_(std::move(label)) {
    conn_ = PQconnectdb(uri.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      const std::string message = PQerrorMessage(conn_);
      PQfinish(conn_);
      conn_ = nullptr;
      throw InputError(label_, "cannot connect to the audit log: " + trim(message));
    }
  }
  ~Connection() { PQfinish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs a statement with text parameters; returns the result (caller clears).
  PGresult* run(const char* sql, const std::vector<std::string>& params = {}) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    // Without parameters, PQexec: it takes several statements at once (the schema).
    PGresult* r = params.empty() ? PQexec(conn_, sql)
                                 : PQexecParams(conn_, sql, static_cast<int>(values.size()), nullptr,
                                                values.data(), nullptr, nullptr, 0);
    const auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const std::string message = PQresultErrorMessage(r);
      PQclear(r);
      throw InputError(label_, "audit log: " + trim(message));
    }
    return r;
  }
  void exec(const char* sql) { PQclear(run(sql)); }

 private:
  static std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
  }
  PGconn* conn_ = nullptr;
  std::string label_;
};

class Result {
 public:
  explicit Result(PGresult* r) : r_(r) {}
  ~Result() { PQclear(r_); }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  int rows() const { return PQntuples(r_); }
  std::string text(int row, int col) const { return PQgetvalue(r_, row, col); }

 private:
  PGresult* r_;
};

Record read_row(const Result& res, int row, const std::string& where) {
  std::array<std::string, 9> text;
  for (int i = 0; i < 9; ++i) text[static_cast<std::size_t>(i)] = res.text(row, i + 1);
  return record_from_columns(std::stoll(res.text(row, 0)), text, where);
}

// "postgresql://user:secret@host:5432/db" as a label without the password.
std::string redact(const std::string& uri) {
  const auto scheme = uri.find("://");
  const auto at = uri.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return uri;
  const auto colon = uri.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return uri;
  return uri.substr(0, colon) + ":***" + uri.substr(at);
}

class PostgresLog : public Log {
 public:
  explicit PostgresLog(const std::string& uri)
      : label_(redact(uri)),
        writer_(uri, label_),
        reader_(uri, label_),
        committer_([this](std::vector<Record>& batch) { write(batch); }) {
    // Several servers may start at once: creating the schema is serialized too.
    writer_.exec("BEGIN");
    writer_.exec(kLock);
    writer_.exec(kSchema);
    writer_.exec("COMMIT");
  }

  Record append(Entry entry) override { return committer_.append(std::move(entry)); }

  std::vector<Record> list(const Query& q) override {
    std::lock_guard lock(reader_mutex_);
    std::string sql = std::string("SELECT ") + kColumns + " FROM audit WHERE seq > $1::bigint";
    std::vector<std::string> params{std::to_string(q.after_seq)};
    auto add = [&](const std::string& clause, const std::string& value) {
      params.push_back(value);
      sql += " AND " + clause + " $" + std::to_string(params.size());
    };
    if (!q.from.empty()) add("time >=", q.from);
    if (!q.to.empty()) add("time <", q.to + "\x7f");
    if (!q.caller.empty()) add("caller =", q.caller);
    if (!q.kind.empty()) add("kind =", q.kind);
    sql += " ORDER BY seq LIMIT " + std::to_string(q.limit);
    Result res(reader_.run(sql.c_str(), params));
    std::vector<Record> out;
    for (int i = 0; i < res.rows(); ++i) out.push_back(read_row(res, i, label_));
    return out;
  }

  void scan(const std::function<bool(const Record&)>& visit) override {
    std::lock_guard lock(reader_mutex_);
    std::int64_t after = 0;
    for (;;) {  // in pages, so a long log does not sit in memory at once
      Result res(reader_.run(
          (std::string("SELECT ") + kColumns + " FROM audit WHERE seq > $1::bigint ORDER BY seq LIMIT 5000")
              .c_str(),
          {std::to_string(after)}));
      if (res.rows() == 0) return;
      for (int i = 0; i < res.rows(); ++i) {
        const Record r = read_row(res, i, label_);
        after = r.seq;
        if (!visit(r)) return;
      }
    }
  }

  std::string describe() const override { return label_; }

 private:
  void write(std::vector<Record>& batch) {
    writer_.exec("BEGIN");
    try {
      writer_.exec(kLock);
      std::int64_t seq = 0;
      std::string prev = kGenesisHash;
      {
        Result head(writer_.run("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"));
        if (head.rows() == 1) {
          seq = std::stoll(head.text(0, 0));
          prev = head.text(0, 1);
        }
      }
      chain(batch, seq, prev);
      for (const auto& r : batch) {
        PQclear(writer_.run(
            "INSERT INTO audit (seq, time, kind, caller, request, response, versions, rule_ids, "
            "prev_hash, hash) VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            {std::to_string(r.seq), r.time, r.entry.kind, r.entry.caller, r.entry.request, r.entry.response,
             r.entry.versions, dump_json(nlohmann::json(r.entry.rule_ids)), r.prev_hash, r.hash}));
      }
      writer_.exec("COMMIT");  // durable once COMMIT returns (synchronous_commit on)
    } catch (...) {
      try {
        writer_.exec("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
  }

  std::string label_;
  Connection writer_;
  Connection reader_;
  std::mutex reader_mutex_;
  GroupCommitter committer_;  // last: its writer thread uses the members above
};

}  // namespace

std::unique_ptr<Log> open_postgres(const std::string& uri) {
  return std::make_unique<PostgresLog>(uri);
}

}  // namespace exportctl::audit
