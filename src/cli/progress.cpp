#include "cli/progress.h"

#include <cstdio>

namespace exportctl::cli {

Progress::Progress(std::string label, std::uint64_t total_bytes, bool enabled)
    : label_(std::move(label)),
      total_(total_bytes),
      enabled_(enabled),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void Progress::update(std::uint64_t bytes, std::uint64_t items) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  draw(bytes, items, false);
}

void Progress::finish(std::uint64_t items) {
  if (!enabled_) return;
  draw(total_, items, true);
}

void Progress::draw(std::uint64_t bytes, std::uint64_t items, bool final) {
  const double fraction = total_ == 0 ? 1.0 : static_cast<double>(bytes) / static_cast<double>(total_);
  const int width = 30;
  const int filled = static_cast<int>(fraction * width);
  std::string bar(static_cast<std::size_t>(filled), '=');
  if (filled < width) bar += '>';
  bar.resize(width, ' ');
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(items) / seconds : 0;
  std::fprintf(stderr, "\r%s [%s] %3.0f%% %llu rows, %.0f rows/s%s", label_.c_str(), bar.c_str(),
               fraction * 100.0, static_cast<unsigned long long>(items), rate, final ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace exportctl::cli
