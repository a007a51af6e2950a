#pragma once
// Shared state of one CLI invocation: the engine configuration from the
// global flags and the snapshot, loaded once on first use. Commands write
// their whole answer to `out` only after it is complete, so an error never
// leaves half an answer on stdout.

#include <memory>
#include <string>

#include "engine/engine.h"

namespace exportctl::cli {

// Exit statuses (documented in README.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitUndetermined = 3;
inline constexpr int kExitAuditBroken = 4;  // audit verify: the chain is not whole

class App {
 public:
  explicit App(engine::Config config) : config_(std::move(config)) {}

  // The snapshot, with screening as asked (building the screener indexes
  // every listed name, so commands that never screen skip it).
  std::shared_ptr<const engine::Snapshot> snapshot(engine::Config::Screening screening);
  std::shared_ptr<const engine::Snapshot> snapshot(bool screening) {
    return snapshot(screening ? engine::Config::Screening::Eager : engine::Config::Screening::Off);
  }
  const engine::Config& config() const { return config_; }
  // The item named by --chip ID or --spec FILE.
  engine::Item item(const std::string& chip, const std::string& spec_file);

 private:
  engine::Config config_;
  std::shared_ptr<const engine::Snapshot> snapshot_;
};

// The command-line flag or argument for a request field named in an error
// ("to" -> "--to", "parties[1]" -> "--party"); the field itself otherwise.
std::string flag_for_field(const std::string& field);

}  // namespace exportctl::cli
