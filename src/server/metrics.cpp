#include "server/metrics.h"

#include <cstdio>

namespace exportctl::server {

void Histogram::observe(double seconds) {
  std::size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Histogram::render(std::string& out, const std::string& name, const std::string& labels) const {
  std::uint64_t cumulative = 0;
  char line[256];
  const std::string sep = labels.empty() ? "" : ",";
  for (std::size_t i = 0; i <= kBounds.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    if (i < kBounds.size())
      std::snprintf(line, sizeof line, "%s_bucket{%s%sle=\"%g\"} %llu\n", name.c_str(), labels.c_str(),
                    sep.c_str(), kBounds[i], static_cast<unsigned long long>(cumulative));
    else
      std::snprintf(line, sizeof line, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name.c_str(), labels.c_str(),
                    sep.c_str(), static_cast<unsigned long long>(cumulative));
    out += line;
  }
  std::snprintf(line, sizeof line, "%s_sum{%s} %.6f\n%s_count{%s} %llu\n", name.c_str(), labels.c_str(),
                static_cast<double>(sum_micros_.load()) / 1e6, name.c_str(), labels.c_str(),
                static_cast<unsigned long long>(count_.load()));
  out += line;
}

Metrics::Endpoint& Metrics::endpoint(const std::string& name) {
  std::lock_guard lock(mutex_);
  return endpoints_[name];
}

void Metrics::request(const std::string& name, int status, double seconds) {
  Endpoint& e = endpoint(name);
  {
    std::lock_guard lock(mutex_);
    e.by_status[status].fetch_add(1, std::memory_order_relaxed);
  }
  e.latency.observe(seconds);
}

std::string Metrics::render(const std::string& snapshot_labels) const {
  std::string out;
  out += "# HELP exportctl_requests_total Requests answered, by endpoint and HTTP status.\n";
  out += "# TYPE exportctl_requests_total counter\n";
  std::lock_guard lock(mutex_);
  for (const auto& [name, e] : endpoints_)
    for (const auto& [status, count] : e.by_status)
      out += "exportctl_requests_total{endpoint=\"" + name + "\",status=\"" + std::to_string(status) +
             "\"} " + std::to_string(count.load()) + "\n";
  out += "# HELP exportctl_request_seconds Time to answer a request, by endpoint.\n";
  out += "# TYPE exportctl_request_seconds histogram\n";
  for (const auto& [name, e] : endpoints_)
    e.latency.render(out, "exportctl_request_seconds", "endpoint=\"" + name + "\"");
  out += "# HELP exportctl_audit_write_seconds Time for a decision's audit record to become durable.\n";
  out += "# TYPE exportctl_audit_write_seconds histogram\n";
  audit_.render(out, "exportctl_audit_write_seconds", "");
  out += "# HELP exportctl_snapshot_info The rules, catalog and list versions answering now.\n";
  out += "# TYPE exportctl_snapshot_info gauge\n";
  out += "exportctl_snapshot_info{" + snapshot_labels + "} 1\n";
  out += "# TYPE exportctl_reloads_total counter\n";
  out += "exportctl_reloads_total{result=\"ok\"} " + std::to_string(reloads_.load()) + "\n";
  out += "exportctl_reloads_total{result=\"failed\"} " + std::to_string(reload_failures_.load()) + "\n";
  return out;
}

}  // namespace exportctl::server
