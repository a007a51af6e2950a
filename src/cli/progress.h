#pragma once
// A one-line progress bar on stderr for long batch work, redrawn at most ten
// times a second. Thread-compatible: call update() from one thread.

#include <chrono>
#include <cstdint>
#include <string>

namespace exportctl::cli {

class Progress {
 public:
  Progress(std::string label, std::uint64_t total_bytes, bool enabled);
  // `bytes` read so far (drives the percentage), `items` done so far.
  void update(std::uint64_t bytes, std::uint64_t items);
  void finish(std::uint64_t items);

 private:
  void draw(std::uint64_t bytes, std::uint64_t items, bool final);
  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace exportctl::cli
