#pragma once
// exportctl serve: the HTTP JSON API over the engine. A thin front end: it
// parses requests, calls engine/engine.h, records each decision in the audit
// log before answering, and renders errors; it decides nothing itself.

#include <cstddef>
#include <filesystem>
#include <ostream>
#include <string>

#include "engine/engine.h"

namespace exportctl::server {

// One worker serves one connection at a time (cpp-httplib's model).
inline constexpr unsigned kDefaultWorkers = 64;

struct Options {
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0 = any free port (printed on start)
  std::string audit;                // sqlite:PATH | postgresql://... ; empty = no audit log
  bool require_keys = true;         // false only with --no-auth on a loopback address
  std::filesystem::path keys_file;  // default DATA_DIR/keys.csv
  unsigned threads = 0;             // request workers; 0 = kDefaultWorkers
  std::size_t max_queue = 256;      // connections waiting for a worker before 503
  std::size_t max_body = 1 << 20;   // bytes
  std::size_t max_batch = 1000;     // items in one batch request
  int read_timeout = 10;            // seconds to read a request
  int idle_timeout = 5;             // seconds a kept-alive connection may idle
  std::string ready_file;           // written with "host:port" once listening (for tests)
};

// Serves until SIGINT or SIGTERM; SIGHUP and POST /v1/admin/reload swap in a
// freshly loaded snapshot. Returns the exit status. Throws InputError for a
// bad option (an address it cannot bind, --no-auth off loopback).
int serve(const engine::Config& config, const Options& options, std::ostream& log);

// API keys: `exportctl keys add NAME` prints a new token once and stores its
// SHA-256 with the name (never the token itself).
std::string add_key(const std::filesystem::path& keys_file, const std::string& name);

}  // namespace exportctl::server
