#pragma once
// Internal to the server: request counts and latency histograms per
// endpoint, audit write latency, rendered in the Prometheus text format.

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <string>

namespace exportctl::server {

class Histogram {
 public:
  static constexpr std::array<double, 12> kBounds{0.0005, 0.001, 0.002, 0.005, 0.01, 0.02,
                                                  0.05,   0.1,   0.25,  0.5,   1.0,  2.5};
  void observe(double seconds);
  // Appends NAME_bucket{LABELS,le=...}, NAME_sum and NAME_count lines.
  void render(std::string& out, const std::string& name, const std::string& labels) const;

 private:
  std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_micros_{0};
};

class Metrics {
 public:
  void request(const std::string& endpoint, int status, double seconds);
  void audit_write(double seconds) { audit_.observe(seconds); }
  void reloaded(bool ok) { (ok ? reloads_ : reload_failures_).fetch_add(1); }
  std::string render(const std::string& snapshot_labels) const;

 private:
  struct Endpoint {
    std::map<int, std::atomic<std::uint64_t>> by_status;
    Histogram latency;
  };
  Endpoint& endpoint(const std::string& name);

  mutable std::mutex mutex_;  // guards the maps' shape, not the counters
  std::map<std::string, Endpoint> endpoints_;
  Histogram audit_;
  std::atomic<std::uint64_t> reloads_{0}, reload_failures_{0};
};

}  // namespace exportctl::server
