// Classification throughput over the bundled 59-chip catalog, with and without
// traces. Run: build/release/bench/classify_bench --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "classify/classify.h"

using namespace exportctl;

namespace {

struct Fixture {
  rules::RuleSet rules = rules::RuleSet::load(std::string(EXPORTCTL_SOURCE_ROOT) + "/rules");
  catalog::Catalog catalog =
      catalog::Catalog::load(std::string(EXPORTCTL_SOURCE_ROOT) + "/data/chips", rules.metrics());
  classify::Classifier classifier{rules};
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

// Dates spread over every rule period, so interval lookup is exercised too.
const Date kDates[] = {*Date::parse("2022-06-01"), *Date::parse("2023-03-01"), *Date::parse("2024-06-01"),
                       *Date::parse("2025-04-20"), *Date::parse("2026-11-29")};

void run(benchmark::State& state, bool trace, bool json) {
  auto& f = fixture();
  const auto& chips = f.catalog.chips();
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& chip = chips[i % chips.size()];
    const Date d = kDates[(i / chips.size()) % 5];
    auto c = f.classifier.classify(chip.spec, d, trace);
    if (json) {
      auto j = classify::to_json(c);
      benchmark::DoNotOptimize(j);
    }
    benchmark::DoNotOptimize(c);
    ++i;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_ClassifyNoTrace(benchmark::State& state) {
  run(state, false, false);
}
void BM_ClassifyWithTrace(benchmark::State& state) {
  run(state, true, false);
}
void BM_ClassifyTraceToJson(benchmark::State& state) {
  run(state, true, true);
}

void BM_ConditionEvaluate(benchmark::State& state) {
  const auto c =
      rules::Condition::compile("tpp >= 4800 or (tpp >= 1600 and pd >= 5.92)", rules::item_schema());
  rules::Value in[rules::kItemInputCount];
  in[rules::kTpp] = rules::Value::of(2368.0);
  in[rules::kPd] = rules::Value::of(2.91);
  for (auto _ : state) benchmark::DoNotOptimize(c.evaluate(in));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

}  // namespace

BENCHMARK(BM_ClassifyNoTrace);
BENCHMARK(BM_ClassifyWithTrace);
BENCHMARK(BM_ClassifyTraceToJson);
BENCHMARK(BM_ConditionEvaluate);
BENCHMARK_MAIN();
