#include <chrono>
#include <ctime>

#include "audit/internal.h"
#include "core/error.h"
#include "core/json.h"

namespace exportctl::audit {

std::string utc_now() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t secs = system_clock::to_time_t(now);
  const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
  return buf;
}

void chain(std::vector<Record>& batch, std::int64_t head_seq, std::string head_hash) {
  const std::string time = utc_now();
  for (auto& r : batch) {
    r.seq = ++head_seq;
    r.time = time;
    r.prev_hash = std::move(head_hash);
    r.hash = record_hash(r);
    head_hash = r.hash;
  }
}

Record record_from_columns(std::int64_t seq, const std::array<std::string, 9>& text,
                           const std::string& where) {
  Record r;
  r.seq = seq;
  r.time = text[0];
  r.entry.kind = text[1];
  r.entry.caller = text[2];
  r.entry.request = text[3];
  r.entry.response = text[4];
  r.entry.versions = text[5];
  // The rule ids are a JSON array of strings; anything else (a tampered
  // column) is kept as one id, so the record fails its hash.
  try {
    const nlohmann::json ids = parse_json(text[6], where);
    if (!ids.is_array()) throw InputError(where, "rule_ids is not an array");
    for (const auto& id : ids) r.entry.rule_ids.push_back(id.is_string() ? id.get<std::string>() : id.dump());
  } catch (const InputError&) {
    r.entry.rule_ids = {text[6]};
  }
  r.prev_hash = text[7];
  r.hash = text[8];
  return r;
}

GroupCommitter::GroupCommitter(WriteBatch write, std::size_t max_batch)
    : write_(std::move(write)), max_batch_(max_batch), writer_([this] { run(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

Record GroupCommitter::append(Entry entry) {
  std::future<Record> done;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(entry), {}});
    done = queue_.back().done.get_future();
  }
  wake_.notify_one();
  return done.get();  // rethrows the batch's failure
}

void GroupCommitter::run() {
  for (;;) {
    std::vector<Pending> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<Record> records(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) records[i].entry = std::move(batch[i].entry);
    try {
      write_(records);
      for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done.set_value(std::move(records[i]));
    } catch (...) {
      for (auto& p : batch) p.done.set_exception(std::current_exception());
    }
  }
}

}  // namespace exportctl::audit
