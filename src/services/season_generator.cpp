#include "services/season_generator.hpp"

#include "db/batch_repository.hpp"
#include "db/pool.hpp"
#include "db/runner.hpp"
#include "services/season/bench_season.hpp"
#include "services/season/demo_season.hpp"

#include <fmt/format.h>

namespace fruitpak::services {
namespace {

// What one generate_season call works with; lives in its coroutine frame.
struct Job {
  db::Lease& tx;
  domain::TenantId tenant;
  SeasonOptions options;
  season::Day last_day;
  SeasonProgress progress;
};

Result<season::Day> last_day_of(const SeasonOptions& options) {
  if (options.last_day.empty()) {
    return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) - std::chrono::days(1);
  }
  auto day = season::parse_day(options.last_day);
  if (!day) return client_error(Errc::kInvalidInput, "last day must be a date written YYYY-MM-DD: " + options.last_day);
  return *day;
}

net::awaitable<Result<SeasonSummary>> generate_demo(Job& job) {
  season::DemoSeason demo(job.tenant, job.options, job.last_day);
  auto tables = demo.build();
  std::int64_t planned = 0;
  for (const auto& table : tables) planned += table.rows();
  season::SeasonWriter writer(job.tx, job.progress, planned);
  for (auto& table : tables) {
    if (auto written = co_await writer.write(table); !written) co_return written.error();
  }
  co_return writer.summary();
}

// Streams the batches and their lots day by day: only the chunks being filled are held in
// memory. The bench writes no batch history and no shipping rows; the benchmarks read
// batches, and reconciliation its lots and payments.
net::awaitable<Result<SeasonSummary>> generate_bench(Job& job) {
  season::BenchSeason bench(job.tenant, job.options, job.last_day);
  // Batches, about as many lots, and the counters (an estimate for the progress bar).
  std::int64_t planned = 2 * job.options.batches + static_cast<std::int64_t>(bench.day_count());
  for (const auto& table : bench.setup_rows()) planned += table.rows();
  season::SeasonWriter writer(job.tx, job.progress, planned);
  for (auto& table : bench.setup_rows()) {
    if (auto written = co_await writer.write(table); !written) co_return written.error();
  }
  season::TableRows batches = season::batch_rows();
  season::TableRows lots = season::lot_rows();
  for (std::size_t day = 0; day < bench.day_count(); ++day) {
    bench.add_day(day, batches, lots);
    // Every batch is stored before a lot of it (the lots reference them).
    if (auto written = co_await writer.write(batches); !written) co_return written.error();
    if (auto written = co_await writer.write_full(lots); !written) co_return written.error();
  }
  if (auto written = co_await writer.write(lots); !written) co_return written.error();
  auto payments = bench.payment_rows();
  if (auto written = co_await writer.write(payments); !written) co_return written.error();
  auto counters = bench.counter_rows();
  if (auto written = co_await writer.write(counters); !written) co_return written.error();
  co_return writer.summary();
}

}  // namespace

std::int64_t SeasonSummary::rows() const {
  std::int64_t total = 0;
  for (const auto& [table, count] : tables) total += count;
  return total;
}

std::int64_t SeasonSummary::count(std::string_view table) const {
  for (const auto& [name, count] : tables) {
    if (name == table) return count;
  }
  return 0;
}

void SeasonSummary::add(std::string_view table, std::int64_t rows) {
  for (auto& [name, count] : tables) {
    if (name == table) {
      count += rows;
      return;
    }
  }
  tables.emplace_back(std::string(table), rows);
}

net::awaitable<Result<SeasonSummary>> generate_season(db::Lease& tx, domain::TenantId tenant, SeasonOptions options,
                                                      SeasonProgress progress) {
  if (options.profile == SeasonProfile::kBench && (options.batches < 1 || options.batches > kMaxBenchBatches)) {
    co_return client_error(Errc::kInvalidInput,
                           fmt::format("batches must be between 1 and {}, not {}", kMaxBenchBatches, options.batches));
  }
  auto last_day = last_day_of(options);
  if (!last_day) co_return last_day.error();
  Job job{tx, std::move(tenant), std::move(options), *last_day, std::move(progress)};
  Result<SeasonSummary> summary = SeasonSummary{};
  if (job.options.profile == SeasonProfile::kDemo) {
    summary = co_await generate_demo(job);
  } else {
    summary = co_await generate_bench(job);
  }
  if (!summary) co_return summary.error();
  // The batches list reads its totals from the maintained day counts; a bulk load rebuilds
  // them from the batches, in the same transaction.
  auto counted = co_await db::batches::rebuild_counts(db::Runner(tx), job.tenant);
  if (!counted) co_return counted.error();
  co_return summary;
}

}  // namespace fruitpak::services
