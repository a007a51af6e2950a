#pragma once
// The audit log: every classify, check and screen decision kept as one
// record, append-only and hash-chained, durable before the answer is sent
// (15 CFR part 762 asks exporters to keep records for five years).
//
// A record's hash is SHA-256 over its canonical JSON (keys sorted, no
// whitespace, the compact form dump_json writes) including the previous
// record's hash, so altering, inserting or
// removing a record breaks the chain at that record; verify() walks it and
// names the first record that does not fit. Removing records from the end is
// visible only against a head (sequence number and hash) kept elsewhere:
// verify() reports the head, and takes an expected one.
//
// Backends: SQLite (one file; WAL, synchronous=FULL) and PostgreSQL (several
// servers, one log). Both keep one chain, serialized in the database, and
// commit appends in groups: a record is acknowledged only after the
// transaction holding it has committed.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace exportctl::audit {

// What a front end records for one decision. The JSON fields are kept as
// the canonical text they are stored and hashed as: the front end writes each
// once, on its own thread, and the single writer thread only concatenates.
struct Entry {
  std::string kind;                   // classify | check | screen
  std::string caller;                 // API key name, or "cli:<user>"
  std::string request;                // canonical JSON text
  std::string response;               // canonical JSON text
  std::string versions;               // canonical JSON text: rules, catalog and list snapshot versions
  std::vector<std::string> rule_ids;  // the rule versions that decided
};

Entry make_entry(std::string kind, std::string caller, const nlohmann::json& request,
                 const nlohmann::json& response, const nlohmann::json& versions,
                 std::vector<std::string> rule_ids);

struct Record {
  std::int64_t seq = 0;
  std::string time;  // UTC, "2026-12-01T22:00:31.123Z"
  Entry entry;
  std::string prev_hash;  // 64 hex; the genesis record's is 64 zeros
  std::string hash;
};

inline const std::string kGenesisHash(64, '0');

// The text hashed for a record (everything but its own hash): the canonical
// JSON of {caller, kind, prev_hash, request, response, rule_ids, seq, time,
// versions}, built by concatenation from the stored texts.
std::string canonical_text(const Record& r);
std::string record_hash(const Record& r);

// The record as a JSON object; a stored field that is not JSON any more is
// shown as a string.
nlohmann::json to_json(const Record& r);

struct Query {
  std::string from;            // inclusive, a date or timestamp prefix; empty = from the start
  std::string to;              // inclusive; empty = to the end
  std::int64_t after_seq = 0;  // cursor: records after this one
  std::size_t limit = 100;
  std::string caller;  // empty = any
  std::string kind;    // empty = any
};

struct VerifyReport {
  bool ok = true;
  std::int64_t records = 0;
  std::int64_t head_seq = 0;
  std::string head_hash = kGenesisHash;
  std::optional<std::int64_t> first_bad;  // the first record that does not fit
  std::string problem;                    // altered | inserted | removed | head mismatch ..., in words
};

// Walks records in sequence order (any source) and checks the chain.
class ChainChecker {
 public:
  // Feed records in ascending seq order; returns false once a problem is found.
  bool add(const Record& r);
  // Call after the last record; `expected_head` ("SEQ:HASH") when given.
  VerifyReport finish(const std::string& expected_head = {});

 private:
  VerifyReport report_;
  std::int64_t last_seq_ = 0;
  std::string last_hash_ = kGenesisHash;
};

// {"ok", "records", "head": {"seq", "hash"}, "log", ["first_bad", "problem"]}
nlohmann::json to_json(const VerifyReport& report, const std::string& log);

class Log {
 public:
  virtual ~Log() = default;
  // Appends and returns once the record is durable (its transaction has
  // committed); thread-safe; concurrent calls share commits.
  virtual Record append(Entry entry) = 0;
  virtual std::vector<Record> list(const Query& query) = 0;
  // Every record in seq order, through `visit` (false stops).
  virtual void scan(const std::function<bool(const Record&)>& visit) = 0;
  virtual std::string describe() const = 0;  // "sqlite:/path/audit.db"

  VerifyReport verify(const std::string& expected_head = {});
};

// "sqlite:PATH" or "postgresql://..." (libpq connection URI). Creates the
// schema when missing. Throws InputError naming the log on failure.
std::unique_ptr<Log> open_log(const std::string& spec);

}  // namespace exportctl::audit
