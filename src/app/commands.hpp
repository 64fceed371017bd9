#pragma once
// The sub-commands of the fruitpak binary. Each returns the process exit code:
// 0 ok, 1 runtime failure (2, bad usage or config, is decided before they run).

#include "config/config.hpp"

namespace fruitpak::app {

int run_serve(const config::Config& config);
int run_migrate(const config::Config& config);
// Migrates, loads the demo enterprise (unless present) and prints its logins.
int run_demo(const config::Config& config);

}  // namespace fruitpak::app
