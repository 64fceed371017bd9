#pragma once
// The sub-commands of the fruitpak binary. Each returns the process exit code:
// 0 ok, 1 runtime failure (2, bad usage or config, is decided before they run).

#include "config/config.hpp"

#include <cstdint>

namespace fruitpak::app {

int run_serve(const config::Config& config);
int run_migrate(const config::Config& config);
// Migrates, loads the demo enterprise and its season (unless present) with a progress bar
// on stderr, and prints its logins.
int run_demo(const config::Config& config);

struct BenchDataOptions {
  static constexpr std::int64_t kMaxBatches = 10'000'000;
  std::int64_t batches = 1'000'000;  // 1..kMaxBatches (main validates)
  std::uint64_t seed = 2026;
};

// Migrates, then creates the enterprise "Bench Packhouse" with `batches` generated GRNs
// (unless its administrator exists) with a progress bar, and prints what it created, the
// elapsed time and the login. The load runs without a statement timeout.
int run_bench_data(const config::Config& config, const BenchDataOptions& options);

}  // namespace fruitpak::app
