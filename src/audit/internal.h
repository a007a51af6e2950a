#pragma once
// Internal to the audit component: the backends, and the group committer
// both use (appends queued by any thread, written by one writer thread a
// transaction at a time, each caller released when its transaction commits).

#include <array>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit.h"

namespace exportctl::audit {

std::unique_ptr<Log> open_sqlite(const std::string& path);
std::unique_ptr<Log> open_postgres(const std::string& uri);

// UTC now as "2026-12-01T22:00:31.123Z".
std::string utc_now();

// Continues a chain whose head is (seq, hash): numbers, dates and hashes each
// record of `batch` in order.
void chain(std::vector<Record>& batch, std::int64_t head_seq, std::string head_hash);

// A record from its stored columns (seq, time, kind, caller, request,
// response, versions, rule_ids, prev_hash, hash). A stored JSON field that no
// longer parses is kept as text, so it fails its hash instead of stopping
// verification.
Record record_from_columns(std::int64_t seq, const std::array<std::string, 9>& text,
                           const std::string& where);

class GroupCommitter {
 public:
  // `write` stores a batch in one transaction: it must set each record's
  // seq, time, prev_hash and hash (continuing the stored chain) and return
  // only after commit; it throws on failure (the whole batch then fails).
  using WriteBatch = std::function<void(std::vector<Record>& batch)>;
  explicit GroupCommitter(WriteBatch write, std::size_t max_batch = 256);
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  Record append(Entry entry);

 private:
  struct Pending {
    Entry entry;
    std::promise<Record> done;
  };
  void run();

  WriteBatch write_;
  std::size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace exportctl::audit
