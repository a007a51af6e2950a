#include "server/api.h"

#include <httplib.h>

#include <chrono>

#include "core/error.h"
#include "core/json.h"
#include "impact/impact.h"

namespace exportctl::server {

using nlohmann::json;

namespace {

engine::Config eager(engine::Config config) {
  config.screening = engine::Config::Screening::Eager;
  return config;
}

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(dump_json(body), "application/json");
}

// The JSON path of a request field as the engine names it: the API's keys
// are the CLI's ("party", not "parties"); spec errors carry their field.
json api_field(const InputError& e) {
  std::string where = e.where();
  if (where.empty()) return nullptr;
  if (where.rfind("parties", 0) == 0) where = "party" + where.substr(7);
  if (where == "spec") {
    const std::string& m = e.message();
    if (m.rfind("field '", 0) == 0) {
      const auto end = m.find('\'', 7);
      if (end != std::string::npos) return "spec." + m.substr(7, end - 7);
    }
  }
  if (where.rfind("body", 0) == 0) return nullptr;
  return where;
}

json error_body(const InputError& e) {
  return {{"error", {{"field", api_field(e)}, {"message", e.message()}}}};
}

std::string bearer(const httplib::Request& req) {
  const std::string h = req.get_header_value("Authorization");
  if (h.rfind("Bearer ", 0) != 0) return {};
  return h.substr(7);
}

json versions_labels_json(const engine::Snapshot& s) {
  return s.versions_json();
}

}  // namespace

Api::Api(engine::Config config, Options options)
    : config_(std::move(config)),
      options_(std::move(options)),
      holder_(engine::Snapshot::load(eager(config_))) {
  if (!options_.audit.empty()) audit_ = audit::open_log(options_.audit);
  const auto keys_file = options_.keys_file.empty() ? engine::resolve_data_dir(config_.data_dir) / "keys.csv"
                                                    : options_.keys_file;
  keys_ = KeyStore::load(keys_file);
  if (options_.require_keys && keys_.size() == 0)
    throw InputError(
        keys_file.string(),
        "no API keys: add one with `exportctl keys add NAME`, or run on loopback with --no-auth");
}

std::string Api::audit_description() const {
  return audit_ ? audit_->describe() : "off";
}

std::string Api::reload() {
  std::lock_guard lock(reload_mutex_);
  try {
    auto next = engine::Snapshot::load(eager(config_));
    const std::string rules = next->versions().rules, lists = next->versions().lists;
    holder_.replace(std::move(next));
    metrics_.reloaded(true);
    return "reloaded: rules " + rules + ", lists " + lists;
  } catch (const std::exception& e) {
    metrics_.reloaded(false);
    return std::string("reload refused, the previous snapshot stays: ") + e.what();
  }
}

std::function<void(const httplib::Request&, httplib::Response&)> Api::wrap(const std::string& endpoint,
                                                                           bool auth, Handler handler) {
  return [this, endpoint, auth, handler](const httplib::Request& req, httplib::Response& res) {
    const auto start = std::chrono::steady_clock::now();
    std::string caller = "anonymous";
    if (auth && options_.require_keys) {
      const auto name = keys_.find(bearer(req));
      if (!name) {
        res.set_header("WWW-Authenticate", "Bearer");
        send_json(res, 401,
                  {{"error",
                    {{"field", nullptr}, {"message", "an API key is required: Authorization: Bearer KEY"}}}});
        metrics_.request(endpoint, res.status,
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        return;
      }
      caller = *name;
    }
    try {
      handler(req, res, caller);
    } catch (const InputError& e) {
      send_json(res, 400, error_body(e));
    } catch (const std::exception& e) {
      send_json(res, 500,
                {{"error", {{"field", nullptr}, {"message", std::string("internal error: ") + e.what()}}}});
    }
    metrics_.request(endpoint, res.status,
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  };
}

std::string Api::decide_one(const std::shared_ptr<const engine::Snapshot>& snapshot, const std::string& kind,
                            const json& body, const std::string& caller) {
  engine::Response r;
  json request;
  if (kind == "classify") {
    const auto q = engine::classify_request(*snapshot, body);
    request = engine::to_json(q);
    r = engine::classify(snapshot, q);
  } else if (kind == "check") {
    const auto q = engine::check_request(*snapshot, body);
    request = engine::to_json(q);
    r = engine::check(snapshot, q);
  } else {
    const auto q = engine::screen_request(body);
    request = engine::to_json(q);
    r = engine::screen(snapshot, q);
  }
  std::string answer = dump_json(r.json);  // written once: for the log and for the client
  if (!audit_) return answer;
  const auto start = std::chrono::steady_clock::now();
  audit::Entry entry{kind,      caller, dump_json(request), answer, dump_json(snapshot->versions_json()),
                     r.rule_ids};
  const audit::Record record = audit_->append(std::move(entry));
  metrics_.audit_write(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  // The answer names its record: {..., "audit": {"hash", "seq"}}.
  const std::string ref =
      R"("audit":{"hash":")" + record.hash + R"(","seq":)" + std::to_string(record.seq) + "}}";
  answer.pop_back();  // the closing brace of the answer object
  answer += answer.size() > 1 ? "," + ref : ref;
  return answer;
}

void Api::decide(const httplib::Request& req, httplib::Response& res, const std::string& caller,
                 const std::string& kind) {
  const json body = parse_json(req.body, "body");
  const auto snapshot = holder_.get();  // the whole request is answered by one snapshot
  if (!body.is_array()) {
    res.status = 200;
    res.set_content(decide_one(snapshot, kind, body, caller), "application/json");
    return;
  }
  if (body.size() > options_.max_batch)
    throw InputError("", "a batch holds at most " + std::to_string(options_.max_batch) + " items, this one " +
                             std::to_string(body.size()));
  // Streamed: each item is answered (and recorded) in order as it is decided;
  // an item with bad input gets its error in its place, not a failed batch.
  auto items = std::make_shared<json>(std::move(body));
  auto next = std::make_shared<std::size_t>(0);
  res.status = 200;
  res.set_chunked_content_provider(
      "application/json", [this, items, next, snapshot, kind, caller](std::size_t, httplib::DataSink& sink) {
        if (*next == items->size()) {
          sink.write(*next == 0 ? "[]" : "]", *next == 0 ? 2 : 1);
          sink.done();
          return true;
        }
        std::string answer;
        try {
          answer = decide_one(snapshot, kind, (*items)[*next], caller);
        } catch (const InputError& e) {
          json error = error_body(e);
          error["error"]["item"] = *next;
          answer = dump_json(error);
        }
        const std::string text = (*next == 0 ? "[" : ",") + answer;
        ++*next;
        return sink.write(text.data(), text.size());
      });
}

void Api::install(httplib::Server& svr) {
  install_pages(svr);
  for (const std::string kind : {"classify", "check", "screen"})
    svr.Post("/v1/" + kind,
             wrap("/v1/" + kind, true, [this, kind](const auto& req, auto& res, const auto& caller) {
               decide(req, res, caller, kind);
             }));
  // Not recorded in the audit log: it decides no transaction, it compares answers.
  svr.Post("/v1/impact", wrap("/v1/impact", true, [this](const auto& req, auto& res, const auto&) {
             send_json(res, 200, impact::analyse_request(holder_.get(), parse_json(req.body, "body")));
           }));
  svr.Get("/v1/chips", wrap("/v1/chips", true, [this](const auto&, auto& res, const auto&) {
            send_json(res, 200, engine::chips_json(*holder_.get()));
          }));
  svr.Get(R"(/v1/chips/([^/]+))",
          wrap("/v1/chips/{id}", true, [this](const auto& req, auto& res, const auto&) {
            try {
              send_json(res, 200, engine::chip_json(*holder_.get(), req.matches[1]));
            } catch (const InputError& e) {
              send_json(res, 404, error_body(e));
            }
          }));
  svr.Get("/v1/rules", wrap("/v1/rules", true, [this](const auto& req, auto& res, const auto&) {
            send_json(res, 200, engine::rules_json(*holder_.get(), req.get_param_value("date")));
          }));
  svr.Get("/v1/audit", wrap("/v1/audit", true, [this](const auto& req, auto& res, const auto&) {
            if (!audit_) throw InputError("", "the audit log is off (start the server with --audit)");
            audit::Query q;
            q.from = req.get_param_value("from");
            q.to = req.get_param_value("to");
            q.caller = req.get_param_value("caller");
            q.kind = req.get_param_value("kind");
            auto number = [&](const char* key, long long fallback, long long max) {
              const std::string v = req.get_param_value(key);
              if (v.empty()) return fallback;
              char* end = nullptr;
              const long long n = std::strtoll(v.c_str(), &end, 10);
              if (end != v.c_str() + v.size() || n < 0 || n > max)
                throw InputError(key, "must be a whole number from 0 to " + std::to_string(max));
              return n;
            };
            q.limit = static_cast<std::size_t>(number("limit", 100, 1000));
            q.after_seq = number("cursor", 0, std::numeric_limits<long long>::max());
            json records = json::array();
            std::int64_t last = q.after_seq;
            for (const auto& r : audit_->list(q)) {
              records.push_back(audit::to_json(r));
              last = r.seq;
            }
            json body{{"records", records}, {"log", audit_->describe()}};
            body["next_cursor"] = records.size() == q.limit ? json(last) : json(nullptr);
            send_json(res, 200, body);
          }));
  svr.Get("/v1/audit/verify", wrap("/v1/audit/verify", true, [this](const auto& req, auto& res, const auto&) {
            if (!audit_) throw InputError("", "the audit log is off (start the server with --audit)");
            const auto report = audit_->verify(req.get_param_value("expect_head"));
            const json body = audit::to_json(report, audit_->describe());
            send_json(res, report.ok ? 200 : 409, body);
          }));
  svr.Post("/v1/admin/reload", wrap("/v1/admin/reload", true, [this](const auto&, auto& res, const auto&) {
             const std::string result = reload();
             const bool ok = result.rfind("reloaded", 0) == 0;
             send_json(res, ok ? 200 : 422,
                       {{"ok", ok}, {"result", result}, {"versions", holder_.get()->versions_json()}});
           }));
  svr.Get("/healthz", wrap("/healthz", false, [this](const auto&, auto& res, const auto&) {
            send_json(res, 200, {{"status", "ok"}, {"versions", versions_labels_json(*holder_.get())}});
          }));
  svr.Get("/metrics", wrap("/metrics", true, [this](const auto&, auto& res, const auto&) {
            const auto& v = holder_.get()->versions();
            res.set_content(metrics_.render("exportctl=\"" + v.exportctl + "\",rules=\"" + v.rules +
                                            "\",catalog=\"" + v.catalog + "\",lists=\"" + v.lists + "\""),
                            "text/plain; version=0.0.4");
          }));
  svr.Get("/openapi.json", wrap("/openapi.json", false, [](const auto&, auto& res, const auto&) {
            send_json(res, 200, openapi_document());
          }));
  svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    const std::string message = res.status == 404   ? "no such endpoint (see /openapi.json)"
                                : res.status == 413 ? "the request body is too large"
                                : res.status == 405 ? "method not allowed"
                                                    : "request refused";
    res.set_content(dump_json({{"error", {{"field", nullptr}, {"message", message}}}}), "application/json");
  });
}

}  // namespace exportctl::server
