#pragma once
// Internal to the server: the routes. Each handler parses the JSON body into
// an engine request, asks the engine, records the decision in the audit log
// (durably) and only then answers with the engine's JSON, or renders the
// error as a 4xx JSON object naming the field.

#include <memory>
#include <mutex>
#include <string>

#include "audit/audit.h"
#include "engine/engine.h"
#include "server/keys.h"
#include "server/metrics.h"
#include "server/server.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace exportctl::server {

// The web page's routes ("/", "/check", ..., "/assets/..."): src/server/pages.cpp.
void install_pages(httplib::Server& svr);

class Api {
 public:
  Api(engine::Config config, Options options);
  void install(httplib::Server& svr);
  // Loads a new snapshot and swaps it in; on failure the old one stays.
  // Returns what happened, in words.
  std::string reload();
  std::string audit_description() const;

 private:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&, const std::string& caller)>;
  // Authentication, error rendering and metrics around a handler.
  std::function<void(const httplib::Request&, httplib::Response&)> wrap(const std::string& endpoint,
                                                                        bool auth, Handler handler);
  // A decision endpoint (classify, check, screen), single or batch.
  void decide(const httplib::Request& req, httplib::Response& res, const std::string& caller,
              const std::string& kind);
  // One decision as JSON; records it when the audit log is on.
  std::string decide_one(const std::shared_ptr<const engine::Snapshot>& snapshot, const std::string& kind,
                         const nlohmann::json& body, const std::string& caller);

  engine::Config config_;
  Options options_;
  engine::SnapshotHolder holder_;
  std::unique_ptr<audit::Log> audit_;
  KeyStore keys_;
  Metrics metrics_;
  std::mutex reload_mutex_;
};

// The OpenAPI 3 document of this API.
nlohmann::json openapi_document();

}  // namespace exportctl::server
