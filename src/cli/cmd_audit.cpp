// exportctl serve, keys and audit: the server, its API keys, and the audit
// log (verify, export, list) that the server and `check --audit` write.

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "audit/audit.h"
#include "cli/commands.h"
#include "core/error.h"
#include "core/files.h"
#include "core/json.h"
#include "server/server.h"

namespace exportctl::cli {

using nlohmann::json;

std::string cli_caller() {
  const char* user = std::getenv("USER");
  return std::string("cli:") + (user && *user ? user : std::to_string(::getuid()));
}

int serve(App& app, const ServeOptions& o, std::ostream& out) {
  server::Options options;
  const auto colon = o.listen.rfind(':');
  if (colon == std::string::npos) throw InputError("--listen", "'" + o.listen + "' must be HOST:PORT");
  options.host = o.listen.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']')
    options.host = options.host.substr(1, options.host.size() - 2);
  char* end = nullptr;
  const std::string port = o.listen.substr(colon + 1);
  const long p = std::strtol(port.c_str(), &end, 10);
  if (port.empty() || end != port.c_str() + port.size() || p < 0 || p > 65535)
    throw InputError("--listen", "'" + port + "' is not a port number");
  options.port = static_cast<int>(p);
  options.audit = o.audit;
  options.require_keys = !o.no_auth;
  options.keys_file = o.keys;
  options.threads = o.threads;
  options.max_body = o.max_body;
  options.ready_file = o.ready_file;
  return server::serve(app.config(), options, out);
}

int keys_add(App& app, const std::string& name, const std::string& keys_file, std::ostream& out) {
  const auto file = keys_file.empty() ? engine::resolve_data_dir(app.config().data_dir) / "keys.csv"
                                      : std::filesystem::path(keys_file);
  const std::string token = server::add_key(file, name);
  out << token << "\n";
  std::cerr << "key '" << name << "' added to " << file.string()
            << " (only its SHA-256 is stored: keep the token above, it is shown once)\n";
  return kExitOk;
}

int audit_verify(const std::string& spec, const std::string& expect_head, bool as_json, std::ostream& out) {
  if (spec.empty()) throw InputError("--audit", "is required (sqlite:PATH or postgresql://...)");
  const auto log = audit::open_log(spec);
  const auto report = log->verify(expect_head);
  if (as_json) {
    out << dump_json(audit::to_json(report, log->describe()), 2) << "\n";
  } else if (report.ok) {
    out << "OK: " << report.records << " records, chain whole; head " << report.head_seq << ":"
        << report.head_hash << "\n";
  } else {
    out << "BROKEN at record " << (report.first_bad ? std::to_string(*report.first_bad) : "?") << ": "
        << report.problem << "\n(" << report.records << " records read; " << log->describe() << ")\n";
  }
  return report.ok ? kExitOk : kExitAuditBroken;
}

int audit_export(const std::string& spec, const std::string& from, const std::string& to,
                 const std::string& file, std::ostream& out) {
  if (spec.empty()) throw InputError("--audit", "is required (sqlite:PATH or postgresql://...)");
  const auto log = audit::open_log(spec);
  std::unique_ptr<AtomicFile> target;
  if (!file.empty() && file != "-") target = std::make_unique<AtomicFile>(file);
  std::ostream& sink = target ? target->stream() : out;
  audit::Query q;
  q.from = from;
  q.to = to;
  q.limit = 5000;
  std::size_t n = 0;
  for (;;) {
    const auto page = log->list(q);
    for (const auto& r : page) sink << dump_json(audit::to_json(r)) << "\n";
    n += page.size();
    if (page.size() < q.limit) break;
    q.after_seq = page.back().seq;
  }
  if (target) target->commit();
  std::cerr << "exported " << n << " records from " << log->describe() << "\n";
  return kExitOk;
}

}  // namespace exportctl::cli
