// License-check throughput of the engine alone (no CSV), one thread, over a
// fixed mix of catalog chips, destinations and dates.
// Run: build/release/bench/check_bench

#include <benchmark/benchmark.h>

#include "core/json.h"
#include "engine/engine.h"

using namespace exportctl;

namespace {

engine::Config config() {
  engine::Config c;
  c.rules_dir = std::string(EXPORTCTL_SOURCE_ROOT) + "/rules";
  c.catalog_dir = std::string(EXPORTCTL_SOURCE_ROOT) + "/data/chips";
  // An empty data folder: screening uses the bundled lists.
  c.data_dir = (std::filesystem::temp_directory_path() / "exportctl-check-bench-empty").string();
  return c;
}

struct Fixture {
  std::shared_ptr<const engine::Snapshot> snapshot = engine::Snapshot::load(config());
  const catalog::Catalog& catalog = snapshot->catalog();
  const license::Engine& engine = snapshot->license();
  std::vector<license::Transaction> transactions;
  Fixture() {
    const char* to[] = {"CN", "HK", "AE", "IL", "SG", "DE", "RU", "KH", "IN", "MO"};
    const char* dates[] = {"2022-12-01", "2023-06-01", "2024-01-01",
                           "2024-06-01", "2025-05-01", "2026-03-01"};
    std::size_t i = 0;
    for (const auto& chip : catalog.chips()) {
      if (chip.spec.units.empty()) continue;
      for (int k = 0; k < 20; ++k, ++i) {
        license::Transaction t;
        t.item = &chip.spec;
        t.to = to[i % 10];
        t.hq = i % 7 == 0 ? "CN" : "";
        t.date = *Date::parse(dates[i % 6]);
        transactions.push_back(t);
      }
    }
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_CheckNoTrace(benchmark::State& state) {
  auto& f = fixture();
  std::size_t i = 0;
  for (auto _ : state) {
    auto d = f.engine.check(f.transactions[i++ % f.transactions.size()], false);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_CheckWithTrace(benchmark::State& state) {
  auto& f = fixture();
  std::size_t i = 0;
  for (auto _ : state) {
    auto d = f.engine.check(f.transactions[i++ % f.transactions.size()], true);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_CheckWithParty(benchmark::State& state) {
  auto& f = fixture();
  std::size_t i = 0;
  for (auto _ : state) {
    auto t = f.transactions[i++ % f.transactions.size()];
    t.parties = {"Huawei Technologies Co., Ltd."};
    auto d = f.engine.check(t, false);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

// What one POST /v1/check costs in the server besides HTTP and the audit log:
// parse the body, map it to a request, decide with the full trace, write JSON.
void BM_ApiCheckJson(benchmark::State& state) {
  auto& f = fixture();
  const std::string body = R"({"chip": "nvidia-h20", "to": "CN", "date": "2025-04-20"})";
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto request = engine::check_request(*f.snapshot, parse_json(body, "body"));
    const std::string text = dump_json(engine::check(f.snapshot, request).json);
    bytes += text.size();
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

}  // namespace

BENCHMARK(BM_ApiCheckJson);
BENCHMARK(BM_CheckNoTrace);
BENCHMARK(BM_CheckWithTrace);
BENCHMARK(BM_CheckWithParty);
BENCHMARK_MAIN();
