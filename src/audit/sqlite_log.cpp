// The embedded audit log: one SQLite file in WAL mode with synchronous=FULL,
// so a committed transaction survives a crash or SIGKILL. One chain: each
// batch is written under BEGIN IMMEDIATE (SQLite's write lock), reading the
// head first, so processes sharing the file (a server and `check --audit`)
// extend the same chain.
//
// Requests and responses of 1 KB or more are stored zstd-compressed (BLOB):
// a check with its trace is some 30 KB of JSON and 6 KB compressed, which is
// both what the disk must make durable per answer and what five years of
// records cost. The hash is over the uncompressed canonical text, so
// compression changes nothing about verification; a column that holds TEXT
// (an older file, or an edit) is read as it is.

#include <sqlite3.h>
#include <zstd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "audit/internal.h"
#include "core/error.h"
#include "core/json.h"

namespace exportctl::audit {

namespace {

using nlohmann::json;

constexpr std::size_t kCompressFrom = 1024;  // bytes of JSON text
constexpr unsigned long long kMaxStoredText = 64ull << 20;

std::string compress(const std::string& text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  const std::size_t n = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 1);
  if (ZSTD_isError(n)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

// The stored text of a compressed column; a blob that does not decompress
// (an edit) comes back as a note, which then fails the record's hash.
std::string decompress(const void* data, std::size_t size) {
  const unsigned long long length = ZSTD_getFrameContentSize(data, size);
  if (length == ZSTD_CONTENTSIZE_ERROR || length == ZSTD_CONTENTSIZE_UNKNOWN || length > kMaxStoredText)
    return "(stored value is not a zstd frame)";
  std::string out(static_cast<std::size_t>(length), '\0');
  const std::size_t n = ZSTD_decompress(out.data(), out.size(), data, size);
  if (ZSTD_isError(n) || n != out.size()) return "(stored value does not decompress)";
  return out;
}

class Db {
 public:
  Db(const std::string& path, const std::string& label) : label_(label) {
    if (sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw InputError(label_, "cannot open the audit log: " + message);
    }
    sqlite3_busy_timeout(db_, 30000);
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : sqlite3_errmsg(db_);
      sqlite3_free(error);
      throw InputError(label_, std::string("audit log: ") + message);
    }
  }
  sqlite3* get() const { return db_; }
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(label_, "audit log: " + what + ": " + sqlite3_errmsg(db_));
  }

 private:
  sqlite3* db_ = nullptr;
  std::string label_;
};

class Statement {
 public:
  Statement(Db& db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db.get(), sql, -1, &stmt_, nullptr) != SQLITE_OK) db.fail("prepare");
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  void bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void bind_blob(int i, const std::string& bytes) {
    sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  }
  bool is_blob(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_BLOB; }
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_.fail("step");
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string blob_text(int col) const {
    return decompress(sqlite3_column_blob(stmt_, col),
                      static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
  }

 private:
  Db& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS audit ("
    " seq INTEGER PRIMARY KEY, time TEXT NOT NULL, kind TEXT NOT NULL, caller TEXT NOT NULL,"
    " request TEXT NOT NULL, response TEXT NOT NULL, versions TEXT NOT NULL, rule_ids TEXT NOT NULL,"
    " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS audit_time ON audit(time);";

constexpr const char* kColumns =
    "seq, time, kind, caller, request, response, versions, rule_ids, prev_hash, hash";

// Copies committed WAL frames into the database file from a connection of
// its own, so the writer rarely stalls behind a checkpoint (with SQLite's
// automatic checkpoints a commit every few seconds copied tens of MB, and
// every answer waiting on it saw hundreds of ms). PASSIVE never blocks the
// writer or readers, but under steady load it never catches up completely,
// and the WAL restarts from its start only then; so once the WAL holds more
// than kRestartFrames a RESTART checkpoint holds the writer for the few
// frames PASSIVE has not copied yet, and the WAL starts over.
class Checkpointer {
 public:
  Checkpointer(const std::string& path, const std::string& label) : db_(path, label) {
    // A connection learns that the file is in WAL mode on its first read;
    // before that a checkpoint does nothing.
    db_.exec("SELECT count(*) FROM sqlite_master");
    thread_ = std::thread([this] { run(); });
  }
  ~Checkpointer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  static constexpr int kRestartFrames = 1024;  // 64 MB of 64 KB pages

  void run() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(100), [&] { return stopping_; })) {
      int frames = 0, copied = 0;
      sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
      if (frames > kRestartFrames)
        sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
    }
  }

  Db db_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

Record read_row(const Statement& s, const std::string& where) {
  std::array<std::string, 9> text;
  for (int i = 0; i < 9; ++i)
    text[static_cast<std::size_t>(i)] = s.is_blob(i + 1) ? s.blob_text(i + 1) : s.text(i + 1);
  return record_from_columns(s.integer(0), text, where);
}

class SqliteLog : public Log {
 public:
  explicit SqliteLog(const std::string& path)
      : label_("sqlite:" + path),
        writer_db_(path, label_),
        reader_db_(path, label_),
        committer_([this](std::vector<Record>& batch) { write(batch); }) {
    // A decision with its trace is some 30 KB: with 64 KB pages a record is
    // one or two pages rather than a chain of eight overflow pages, which
    // doubled the rows a commit can write (measured, docs/PERFORMANCE.md).
    // Takes effect only when the file is created.
    writer_db_.exec(
        "PRAGMA page_size=65536; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
        "PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864;");
    writer_db_.exec(kSchema);
    reader_db_.exec("PRAGMA synchronous=FULL;");
    checkpointer_ = std::make_unique<Checkpointer>(path, label_);
  }

  Record append(Entry entry) override { return committer_.append(std::move(entry)); }

  std::vector<Record> list(const Query& q) override {
    std::lock_guard lock(reader_mutex_);
    std::string sql = std::string("SELECT ") + kColumns + " FROM audit WHERE seq > ?1";
    if (!q.from.empty()) sql += " AND time >= ?2";
    if (!q.to.empty()) sql += " AND time < ?3";
    if (!q.caller.empty()) sql += " AND caller = ?4";
    if (!q.kind.empty()) sql += " AND kind = ?5";
    sql += " ORDER BY seq LIMIT ?6";
    Statement s(reader_db_, sql.c_str());
    s.bind(1, q.after_seq);
    if (!q.from.empty()) s.bind(2, q.from);
    if (!q.to.empty()) s.bind(3, upper_bound(q.to));
    if (!q.caller.empty()) s.bind(4, q.caller);
    if (!q.kind.empty()) s.bind(5, q.kind);
    s.bind(6, static_cast<std::int64_t>(q.limit));
    std::vector<Record> out;
    while (s.step()) out.push_back(read_row(s, label_));
    return out;
  }

  void scan(const std::function<bool(const Record&)>& visit) override {
    std::lock_guard lock(reader_mutex_);
    Statement s(reader_db_, (std::string("SELECT ") + kColumns + " FROM audit ORDER BY seq").c_str());
    while (s.step())
      if (!visit(read_row(s, label_))) return;
  }

  std::string describe() const override { return label_; }

 private:
  // "2026-12-01" as an inclusive end: everything that day.
  static std::string upper_bound(const std::string& to) { return to + "\x7f"; }

  void write(std::vector<Record>& batch) {
    writer_db_.exec("BEGIN IMMEDIATE");
    try {
      std::int64_t seq = 0;
      std::string prev = kGenesisHash;
      {
        Statement head(writer_db_, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
        if (head.step()) {
          seq = head.integer(0);
          prev = head.text(1);
        }
      }
      Statement insert(writer_db_,
                       "INSERT INTO audit (seq, time, kind, caller, request, response, versions, "
                       "rule_ids, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
      chain(batch, seq, prev);
      for (auto& r : batch) {
        insert.bind(1, r.seq);
        insert.bind(2, r.time);
        insert.bind(3, r.entry.kind);
        insert.bind(4, r.entry.caller);
        for (const auto& [column, text] : {std::pair{5, &r.entry.request}, std::pair{6, &r.entry.response}}) {
          if (text->size() >= kCompressFrom)
            insert.bind_blob(column, compress(*text));
          else
            insert.bind(column, *text);
        }
        insert.bind(7, r.entry.versions);
        insert.bind(8, dump_json(nlohmann::json(r.entry.rule_ids)));
        insert.bind(9, r.prev_hash);
        insert.bind(10, r.hash);
        insert.step();
        insert.reset();
      }
      writer_db_.exec("COMMIT");  // durable: WAL fsync under synchronous=FULL
    } catch (...) {
      sqlite3_exec(writer_db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  std::string label_;
  Db writer_db_;
  Db reader_db_;
  std::mutex reader_mutex_;
  GroupCommitter committer_;  // its writer thread uses the members above
  std::unique_ptr<Checkpointer> checkpointer_;
};

}  // namespace

std::unique_ptr<Log> open_sqlite(const std::string& path) {
  if (path.empty())
    throw InputError("audit", "sqlite: needs a file path (sqlite:/var/lib/exportctl/audit.db)");
  return std::make_unique<SqliteLog>(path);
}

}  // namespace exportctl::audit
