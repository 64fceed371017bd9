// L1 memory soak (issue 6): N operations over K distinct keys on an L1Store with the
// production budget, from two threads, the way the server uses it (get; on a miss, build a
// response and put it). Prints throughput, hit ratio and the process's resident memory,
// and exits 1 if the RSS at the end exceeds the L1 budget + 64 MiB. Run by
// `scripts/bench --suite cache`; by hand: build/release/bench/fp_l1_memory --help.

#include "cache/l1_store.hpp"
#include "util/process_stats.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

namespace {

using fruitpak::cache::CachedResponse;
using fruitpak::cache::L1Store;
using fruitpak::util::resident_bytes;

double mib(std::size_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fp_l1_memory: resident memory of the L1 cache under churn"};
  std::uint64_t ops = 10'000'000;
  std::uint64_t keys = 100'000;
  std::size_t budget = 64u << 20;
  int threads = 2;
  int tenants = 10;
  app.add_option("--ops", ops, "operations in all")->capture_default_str();
  app.add_option("--keys", keys, "distinct keys")->capture_default_str();
  app.add_option("--budget", budget, "L1 byte budget (CACHE_L1_BYTES)")->capture_default_str();
  app.add_option("--threads", threads, "threads")->capture_default_str()->check(CLI::Range(1, 64));
  app.add_option("--tenants", tenants, "tenants the keys belong to")->capture_default_str()->check(CLI::Range(1, 1000));
  CLI11_PARSE(app, argc, argv);

  const std::size_t rss_start = resident_bytes();
  L1Store store({budget, 0.25});
  std::atomic<std::uint64_t> hits{0}, puts{0};
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::mt19937_64 random(2026 + static_cast<unsigned>(t));
      // Skewed popularity (a few lists are read far more than the rest), as real traffic.
      std::geometric_distribution<std::uint64_t> skew(1.0 / static_cast<double>(keys / 8));
      std::uint64_t local_hits = 0, local_puts = 0;
      const std::uint64_t share = ops / static_cast<std::uint64_t>(threads);
      std::string key;
      for (std::uint64_t i = 0; i < share; ++i) {
        const std::uint64_t k = skew(random) % keys;
        const auto tenant = std::to_string(k % static_cast<std::uint64_t>(tenants));
        key = "fp:bench:{t" + tenant + "}:growers:list_growers:" + std::to_string(k);
        if (store.get(key)) {
          ++local_hits;
          continue;
        }
        auto entry = std::make_shared<CachedResponse>();
        // 200 B .. 8 KiB bodies, the size a key always has (a page of a list).
        entry->body.assign(200 + (k * 2654435761u) % 8000, 'x');
        entry->etag = "\"0123456789abcdef0123456789abcdef\"";
        entry->content_type = "application/json";
        store.put(key, tenant, std::move(entry));
        ++local_puts;
      }
      hits += local_hits;
      puts += local_puts;
    });
  }
  for (auto& w : workers) w.join();
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  const std::size_t rss_end = resident_bytes();
  const auto stats = store.stats();
  const std::size_t limit = budget + (64u << 20);
  fmt::print("ops {} keys {} threads {} budget {:.0f} MiB: {:.2f} s, {:.2f} M ops/s, hit ratio {:.3f}\n", ops, keys,
             threads, mib(budget), took.count(), static_cast<double>(ops) / took.count() / 1e6,
             static_cast<double>(hits.load()) / static_cast<double>(ops));
  fmt::print("L1 holds {} entries, {:.1f} MiB charged; {} evictions, {} rejected\n", stats.entries, mib(stats.bytes),
             stats.evictions, stats.rejected);
  fmt::print("RSS: {:.1f} MiB at start, {:.1f} MiB at end (limit budget + 64 MiB = {:.0f} MiB): {}\n",
             mib(rss_start), mib(rss_end), mib(limit), rss_end <= limit ? "within" : "OVER");
  return rss_end <= limit ? 0 : 1;
}
