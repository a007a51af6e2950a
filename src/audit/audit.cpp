// Records, their canonical form and hash, chain checking, and opening a log.

#include "audit/audit.h"

#include "audit/internal.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/json.h"

namespace exportctl::audit {

using nlohmann::json;

namespace {

json entry_fields(const Record& r) {
  return {{"seq", r.seq},
          {"time", r.time},
          {"kind", r.entry.kind},
          {"caller", r.entry.caller},
          {"request", r.entry.request},
          {"response", r.entry.response},
          {"versions", r.entry.versions},
          {"rule_ids", r.entry.rule_ids},
          {"prev_hash", r.prev_hash}};
}

}  // namespace

std::string canonical_text(const Record& r) {
  // nlohmann's objects are ordered maps: keys come out sorted, at every level.
  return dump_json(entry_fields(r));
}

std::string record_hash(const Record& r) {
  return sha256_hex(canonical_text(r));
}

json to_json(const Record& r) {
  json j = entry_fields(r);
  j["hash"] = r.hash;
  return j;
}

Record record_from_json(const json& j, const std::string& where) {
  auto need = [&](const char* key, json::value_t type) -> const json& {
    if (!j.is_object() || !j.contains(key))
      throw InputError(where, std::string("field '") + key + "' is missing");
    const json& v = j.at(key);
    if (v.type() != type && !(type == json::value_t::number_integer && v.is_number_unsigned()))
      throw InputError(where, std::string("field '") + key + "' has the wrong type");
    return v;
  };
  Record r;
  r.seq = need("seq", json::value_t::number_integer).get<std::int64_t>();
  r.time = need("time", json::value_t::string).get<std::string>();
  r.entry.kind = need("kind", json::value_t::string).get<std::string>();
  r.entry.caller = need("caller", json::value_t::string).get<std::string>();
  r.entry.request = j.value("request", json());
  r.entry.response = j.value("response", json());
  r.entry.versions = j.value("versions", json());
  for (const auto& id : need("rule_ids", json::value_t::array))
    r.entry.rule_ids.push_back(id.get<std::string>());
  r.prev_hash = need("prev_hash", json::value_t::string).get<std::string>();
  r.hash = need("hash", json::value_t::string).get<std::string>();
  return r;
}

bool ChainChecker::add(const Record& r) {
  if (!report_.ok) return false;
  auto bad = [&](std::string problem) {
    report_.ok = false;
    report_.first_bad = r.seq;
    report_.problem = std::move(problem);
    return false;
  };
  ++report_.records;
  if (r.seq <= last_seq_)
    return bad("record " + std::to_string(r.seq) + " is out of sequence after record " +
               std::to_string(last_seq_) + " (inserted)");
  if (r.seq != last_seq_ + 1)
    return bad("records " + std::to_string(last_seq_ + 1) + " to " + std::to_string(r.seq - 1) +
               " are missing before record " + std::to_string(r.seq) + " (removed)");
  if (r.prev_hash != last_hash_)
    return bad("record " + std::to_string(r.seq) + " does not follow record " + std::to_string(last_seq_) +
               ": its previous-hash does not match (a record was inserted, removed or replaced before it)");
  if (record_hash(r) != r.hash)
    return bad("record " + std::to_string(r.seq) + " was altered: its content does not match its hash");
  last_seq_ = r.seq;
  last_hash_ = r.hash;
  report_.head_seq = r.seq;
  report_.head_hash = r.hash;
  return true;
}

VerifyReport ChainChecker::finish(const std::string& expected_head) {
  if (report_.ok && !expected_head.empty()) {
    const auto colon = expected_head.find(':');
    const std::string seq = expected_head.substr(0, colon);
    const std::string hash = colon == std::string::npos ? "" : expected_head.substr(colon + 1);
    const std::string head = std::to_string(report_.head_seq);
    if (seq != head || (!hash.empty() && hash != report_.head_hash)) {
      report_.ok = false;
      report_.first_bad = report_.head_seq + 1;
      report_.problem = "the log ends at record " + head + " (" + report_.head_hash.substr(0, 16) +
                        "...), not at the expected head " + expected_head +
                        " (records removed from the end, or the wrong log)";
    }
  }
  return report_;
}

json to_json(const VerifyReport& report, const std::string& log) {
  json j{{"ok", report.ok},
         {"records", report.records},
         {"head", {{"seq", report.head_seq}, {"hash", report.head_hash}}},
         {"log", log}};
  if (!report.ok) {
    j["first_bad"] = report.first_bad ? json(*report.first_bad) : json(nullptr);
    j["problem"] = report.problem;
  }
  return j;
}

VerifyReport Log::verify(const std::string& expected_head) {
  ChainChecker checker;
  scan([&](const Record& r) { return checker.add(r); });
  return checker.finish(expected_head);
}

std::unique_ptr<Log> open_log(const std::string& spec) {
  if (spec.rfind("sqlite:", 0) == 0) return open_sqlite(spec.substr(7));
  if (spec.rfind("postgresql://", 0) == 0 || spec.rfind("postgres://", 0) == 0) return open_postgres(spec);
  throw InputError("audit", "'" + spec + "' is not an audit log: give sqlite:PATH or postgresql://...");
}

}  // namespace exportctl::audit
