// Records, their canonical form and hash, chain checking, and opening a log.

#include "audit/audit.h"

#include "audit/internal.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/json.h"

namespace exportctl::audit {

using nlohmann::json;

namespace {

json parsed_or_text(const std::string& text) {
  try {
    return parse_json(text, "audit record");
  } catch (const InputError&) {
    return json(text);
  }
}

}  // namespace

Entry make_entry(std::string kind, std::string caller, const json& request, const json& response,
                 const json& versions, std::vector<std::string> rule_ids) {
  return {std::move(kind),     std::move(caller),   dump_json(request),
          dump_json(response), dump_json(versions), std::move(rule_ids)};
}

std::string canonical_text(const Record& r) {
  // Keys in sorted order, as dump_json writes an object; the JSON fields are
  // already canonical text.
  std::string out;
  out.reserve(r.entry.request.size() + r.entry.response.size() + r.entry.versions.size() + 512);
  auto key = [&](const char* name) {
    out += out.empty() ? "{\"" : ",\"";
    out += name;
    out += "\":";
  };
  key("caller");
  out += dump_json(r.entry.caller);
  key("kind");
  out += dump_json(r.entry.kind);
  key("prev_hash");
  out += dump_json(r.prev_hash);
  key("request");
  out += r.entry.request;
  key("response");
  out += r.entry.response;
  key("rule_ids");
  out += dump_json(r.entry.rule_ids);
  key("seq");
  out += std::to_string(r.seq);
  key("time");
  out += dump_json(r.time);
  key("versions");
  out += r.entry.versions;
  out += '}';
  return out;
}

std::string record_hash(const Record& r) {
  return sha256_hex(canonical_text(r));
}

json to_json(const Record& r) {
  json j = json::object();
  j["seq"] = r.seq;
  j["time"] = r.time;
  j["kind"] = r.entry.kind;
  j["caller"] = r.entry.caller;
  j["request"] = parsed_or_text(r.entry.request);
  j["response"] = parsed_or_text(r.entry.response);
  j["versions"] = parsed_or_text(r.entry.versions);
  j["rule_ids"] = r.entry.rule_ids;
  j["prev_hash"] = r.prev_hash;
  j["hash"] = r.hash;
  return j;
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
