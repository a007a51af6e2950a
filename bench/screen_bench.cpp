// Screening speed against the largest list at hand: the bundled lists plus
// fmatch's 37,917 CSL+METI names (../shared, when present). Reports index build
// time and memory, single-query latency (p50/p99, one thread), batch
// throughput on all cores, and the same for a brute-force Jaro-Winkler scan
// over every listed name, in one run. Then runs the Google Benchmark
// micro-benchmarks (normalise, screen).
// Usage: screen_bench [--shared DIR] [--queries N] [--no-baseline] [benchmark flags]

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "core/csv.h"
#include "screen/normalize.h"
#include "screen/screen.h"

namespace fs = std::filesystem;
using namespace exportctl;
using namespace exportctl::screen;
using Clock = std::chrono::steady_clock;

namespace {

long rss_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

std::shared_ptr<ListSnapshot> big_snapshot(const fs::path& shared) {
  auto snap = std::make_shared<ListSnapshot>(*bundled_snapshot());
  const fs::path names = shared / "screening" / "data" / "fmatch" / "csl_meti_names_2022-12.csv";
  std::ifstream in(names);
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF") line = line.substr(3);
    if (line.size() >= 2 && line.front() == '"' && line.back() == '"') line = line.substr(1, line.size() - 2);
    if (line.empty()) continue;
    Entry e;
    e.source = "CSL+METI names (fmatch, 2022-12)";
    e.source_code = "NAMES";
    e.id = std::to_string(++n);
    e.name = line;
    snap->entries.push_back(std::move(e));
  }
  snap->version += "+fmatch-" + std::to_string(n);
  return snap;
}

// Queries: listed names with a typo, reordered or with a different legal
// form (positives) and synthetic person names (negatives), half each.
std::vector<std::string> make_queries(const ListSnapshot& snap, const fs::path& shared, std::size_t count) {
  std::mt19937 rng(42);
  std::vector<std::string> out;
  std::vector<std::string> negatives;
  const fs::path neg = shared / "screening" / "data" / "yente" / "negatives_global.csv";
  if (fs::exists(neg)) {
    std::ifstream in(neg);
    CsvReader r(in, neg.string());
    const auto col = r.require_column("full_name");
    std::vector<std::string> f;
    while (r.next(f) && negatives.size() < count) negatives.push_back(f[col]);
  }
  while (out.size() < count) {
    if (!negatives.empty() && out.size() % 2 == 1) {
      out.push_back(negatives[out.size() / 2 % negatives.size()]);
      continue;
    }
    std::string name = snap.entries[rng() % snap.entries.size()].name;
    switch (rng() % 3) {
      case 0:
        if (name.size() > 4 && static_cast<unsigned char>(name[name.size() / 2]) < 0x80)
          name[name.size() / 2] = 'x';
        break;
      case 1: {
        const auto sp = name.find(' ');
        if (sp != std::string::npos) name = name.substr(sp + 1) + " " + name.substr(0, sp);
        break;
      }
      default:
        name += " Co Ltd";
    }
    out.push_back(name);
  }
  return out;
}

struct Latency {
  double p50_us, p99_us, max_us, per_second;
};

template <typename Fn>
Latency single_thread(const std::vector<std::string>& queries, Fn&& fn) {
  std::vector<double> us;
  us.reserve(queries.size());
  const auto start = Clock::now();
  for (const auto& q : queries) {
    const auto t0 = Clock::now();
    benchmark::DoNotOptimize(fn(q));
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  const double total = std::chrono::duration<double>(Clock::now() - start).count();
  std::sort(us.begin(), us.end());
  return {us[us.size() / 2], us[us.size() * 99 / 100], us.back(),
          static_cast<double>(queries.size()) / total};
}

template <typename Fn>
double batch(const std::vector<std::string>& queries, unsigned threads, Fn&& fn) {
  std::atomic<std::size_t> next{0};
  const auto start = Clock::now();
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (std::size_t i = next.fetch_add(16); i < queries.size(); i = next.fetch_add(16))
        for (std::size_t k = i; k < std::min(queries.size(), i + 16); ++k)
          benchmark::DoNotOptimize(fn(queries[k]));
    });
  for (auto& t : pool) t.join();
  return static_cast<double>(queries.size()) / std::chrono::duration<double>(Clock::now() - start).count();
}

std::unique_ptr<Screener> g_screener;

void BM_Normalize(benchmark::State& state) {
  const auto& norm = g_screener->normalizer();
  const char* names[] = {"Huawei Technologies Co., Ltd.", "华为技术有限公司", "Владимир Путин",
                         "GUANGZHOU HAIGE COMM GRP"};
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(norm.normalize(names[i++ % 4]));
}
BENCHMARK(BM_Normalize);

void BM_ScreenCompany(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(g_screener->screen("Shenzhen Huawei Technologies Co., Ltd."));
}
BENCHMARK(BM_ScreenCompany);

void BM_ScreenChinese(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(g_screener->screen("中国电子科技集团公司第十三研究所"));
}
BENCHMARK(BM_ScreenChinese);

void BM_ScreenPerson(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(g_screener->screen("Patricia Lucas Wheeler"));
}
BENCHMARK(BM_ScreenPerson);

}  // namespace

int main(int argc, char** argv) {
  fs::path shared = fs::path(EXPORTCTL_SOURCE_ROOT) / ".." / "shared";
  std::size_t count = 20000;
  bool baseline = true;
  std::vector<char*> rest{argv[0]};
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--shared") && i + 1 < argc)
      shared = argv[++i];
    else if (!std::strcmp(argv[i], "--queries") && i + 1 < argc)
      count = std::stoul(argv[++i]);
    else if (!std::strcmp(argv[i], "--no-baseline"))
      baseline = false;
    else
      rest.push_back(argv[i]);
  }
  const auto norm = bundled_normalizer();
  norm->normalize("warm up 华为");
  const long rss0 = rss_kb();
  const auto t0 = Clock::now();
  auto snap = fs::exists(shared / "screening") ? big_snapshot(shared)
                                               : std::make_shared<ListSnapshot>(*bundled_snapshot());
  const auto t1 = Clock::now();
  g_screener = std::make_unique<Screener>(snap, norm);
  const auto t2 = Clock::now();
  const long rss1 = rss_kb();
  std::printf("list: %s, %zu entries, %zu indexed names\n", snap->version.c_str(), snap->entries.size(),
              g_screener->indexed_names());
  std::printf(
      "index build: %.3f s (+ %.3f s loading the bundled lists and the name file); memory +%.0f MB RSS\n",
      std::chrono::duration<double>(t2 - t1).count(), std::chrono::duration<double>(t1 - t0).count(),
      static_cast<double>(rss1 - rss0) / 1024.0);

  const auto queries = make_queries(*snap, shared, count);
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const auto indexed = [&](const std::string& q) { return g_screener->screen(q).size(); };
  const auto brute = [&](const std::string& q) {
    return brute_force_jaro_winkler(*g_screener, q, 0.9).size();
  };
  // Warm the per-thread caches (pinyin, scratch space) once.
  for (std::size_t i = 0; i < std::min<std::size_t>(200, queries.size()); ++i) indexed(queries[i]);

  const Latency a = single_thread(queries, indexed);
  const double a_batch = batch(queries, cores, indexed);
  std::printf("%-34s %9s %9s %10s %14s %16s\n", "method", "p50 (us)", "p99 (us)", "max (us)", "1 core (n/s)",
              "batch (n/s)");
  std::printf("%-34s %9.1f %9.1f %10.1f %14.0f %16.0f  (%u threads, %zu queries)\n",
              "exportctl index + alignment", a.p50_us, a.p99_us, a.max_us, a.per_second, a_batch, cores,
              queries.size());
  if (baseline) {
    std::vector<std::string> few(
        queries.begin(), queries.begin() + static_cast<long>(std::min<std::size_t>(400, queries.size())));
    const Latency b = single_thread(few, brute);
    const double b_batch = batch(few, cores, brute);
    std::printf("%-34s %9.1f %9.1f %10.1f %14.0f %16.0f  (%u threads, %zu queries)\n",
                "brute-force Jaro-Winkler (>=0.90)", b.p50_us, b.p99_us, b.max_us, b.per_second, b_batch,
                cores, few.size());
  }
  std::fflush(stdout);

  int bargc = static_cast<int>(rest.size());
  benchmark::Initialize(&bargc, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
