// fruitpak: the FruitPAK backend. Sub-commands: serve, migrate, demo, bench-data, reconcile, cache.
// Exit codes: 0 ok, 1 runtime failure, 2 bad usage or configuration.

#include "app/cache_commands.hpp"
#include "app/check_config_command.hpp"
#include "app/commands.hpp"
#include "app/reconcile_command.hpp"
#include "app/logging.hpp"
#include "config/config.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace {

using fruitpak::config::Sources;

// Registers a flag that overrides the environment variable of the same meaning.
void flag(CLI::App& cmd, Sources& sources, const std::string& name, const std::string& variable,
          const std::string& help) {
  cmd.add_option_function<std::string>(
         name, [&sources, variable](const std::string& v) { sources.flags[variable] = v; }, help)
      ->envname("");  // the environment is read by config, not by CLI11
}

void server_flags(CLI::App& cmd, Sources& sources) {
  flag(cmd, sources, "--host", "HOST", "address to listen on (HOST, default 0.0.0.0)");
  flag(cmd, sources, "--port", "PORT", "port to listen on (PORT, default 8000)");
  flag(cmd, sources, "--threads", "THREADS", "I/O threads (THREADS, default one per core)");
  flag(cmd, sources, "--redis-url", "REDIS_URL", "redis://[:password@]host:port/db; empty = no Redis");
  flag(cmd, sources, "--log-level", "LOG_LEVEL", "trace|debug|info|warn|error|critical|off");
  flag(cmd, sources, "--log-format", "LOG_FORMAT", "text|json");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fruitpak: the FruitPAK packhouse backend (JSON REST API)\n"
               "Configuration: flags > environment > .env file > defaults. See README.md."};
  app.set_version_flag("--version", std::string("fruitpak ") + FRUITPAK_VERSION);
  app.require_subcommand(1);

  Sources sources;
  sources.environment = fruitpak::config::process_environment();
  std::string env_file = ".env";
  app.add_option("--env-file", env_file, "a .env file to read if it exists")->capture_default_str();

  auto* serve = app.add_subcommand(
      "serve", "run the HTTP server (migrates the database first); --check-config checks and exits instead");
  flag(*serve, sources, "--database-url", "DATABASE_URL",
       "sqlite:///path/file.db or postgresql://user:pass@host:port/db");
  server_flags(*serve, sources);
  serve->add_flag_callback("--no-migrate", [&sources] { sources.flags["MIGRATE_ON_START"] = "false"; },
                           "do not apply pending migrations at start");
  bool check_config = false;
  serve->add_flag("--check-config", check_config,
                  "validate the configuration, print it (secrets masked), check the database (SELECT 1, schema "
                  "version; nothing migrated or created) and Redis (PING), then exit without serving: 0 all "
                  "passed, 1 a check failed, 2 invalid configuration");

  auto* migrate = app.add_subcommand("migrate", "apply pending database migrations and exit");
  flag(*migrate, sources, "--database-url", "DATABASE_URL",
       "sqlite:///path/file.db or postgresql://user:pass@host:port/db");
  flag(*migrate, sources, "--log-level", "LOG_LEVEL", "trace|debug|info|warn|error|critical|off");

  auto* demo = app.add_subcommand("demo", "load the demo enterprise and its logins (idempotent) and exit");
  flag(*demo, sources, "--database-url", "DATABASE_URL",
       "sqlite:///path/file.db or postgresql://user:pass@host:port/db");

  fruitpak::app::BenchDataOptions bench_options;
  auto* bench = app.add_subcommand(
      "bench-data", "create the benchmark enterprise with N generated GRN batches (unless present) and exit");
  flag(*bench, sources, "--database-url", "DATABASE_URL",
       "sqlite:///path/file.db or postgresql://user:pass@host:port/db");
  bench->add_option("--batches", bench_options.batches, "how many GRN batches to generate (1..10000000)")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, fruitpak::app::BenchDataOptions::kMaxBatches));
  bench->add_option("--seed", bench_options.seed, "random seed: the same seed gives the same data")
      ->capture_default_str();

  fruitpak::app::ReconcileOptions reconcile_options;
  std::string reconcile_enterprise;
  auto* reconcile = app.add_subcommand(
      "reconcile",
      "run the reconciliation checks for one or every enterprise and exit (0: no critical alert open, 3: critical "
      "alerts open, 1: a run failed)");
  flag(*reconcile, sources, "--database-url", "DATABASE_URL",
       "sqlite:///path/file.db or postgresql://user:pass@host:port/db");
  reconcile->add_option("--enterprise", reconcile_enterprise, "only this enterprise (its id)");
  reconcile->add_flag("--full", reconcile_options.full, "re-check every entity, not only those changed since the last run");

  auto* cache = app.add_subcommand("cache", "operate the shared (Redis) response cache of this deployment");
  cache->require_subcommand(1);
  cache->fallthrough();  // `cache stats --redis-url ...` as well as `cache --redis-url ... stats`
  flag(*cache, sources, "--redis-url", "REDIS_URL", "redis://[:password@]host:port/db (REDIS_URL)");
  flag(*cache, sources, "--database-url", "DATABASE_URL", "the database `cache warm` reads (DATABASE_URL)");
  std::string cache_tenant;
  fruitpak::app::CacheCommandOptions cache_options;
  const auto tenant_option = [&cache_tenant](CLI::App* cmd) {
    cmd->add_option("--tenant", cache_tenant, "only this enterprise (its id)");
  };
  auto* cache_stats = cache->add_subcommand("stats", "entries and bytes per prefix in Redis, and Redis' own counters");
  tenant_option(cache_stats);
  auto* cache_warm = cache->add_subcommand(
      "warm", "load every cached list (growers, packhouses, batches, ...) of every onboarded enterprise into Redis");
  auto* cache_clear = cache->add_subcommand(
      "clear", "drop every cached response of this cache version (other keys in Redis are left alone)");
  tenant_option(cache_clear);
  auto* cache_invalidate = cache->add_subcommand(
      "invalidate", "drop the cached responses of the prefixes matching PATTERN, on every instance");
  cache_invalidate->add_option("PATTERN", cache_options.pattern,
                               "prefix glob: growers, grower*, * (the original's growers:* is accepted)")
      ->required();
  tenant_option(cache_invalidate);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  sources.dotenv_path = env_file;
  auto loaded = fruitpak::config::load(sources);
  if (serve->parsed() && check_config) return fruitpak::app::run_check_config(loaded, std::cout);
  if (auto* problems = std::get_if<std::vector<std::string>>(&loaded)) {
    std::cerr << "fruitpak: invalid configuration:\n";
    for (const auto& p : *problems) std::cerr << "  " << p << "\n";
    return 2;
  }
  const auto& config = std::get<fruitpak::config::Config>(loaded);
  fruitpak::app::setup_logging(config.log_level, config.log_format);

  if (serve->parsed()) return fruitpak::app::run_serve(config);
  if (migrate->parsed()) return fruitpak::app::run_migrate(config);
  if (demo->parsed()) return fruitpak::app::run_demo(config);
  if (bench->parsed()) return fruitpak::app::run_bench_data(config, bench_options);
  if (reconcile->parsed()) {
    if (!reconcile_enterprise.empty()) reconcile_options.enterprise = reconcile_enterprise;
    return fruitpak::app::run_reconcile(config, reconcile_options);
  }
  if (!cache_tenant.empty()) cache_options.tenant = cache_tenant;
  if (cache_stats->parsed()) return fruitpak::app::run_cache_stats(config, cache_options);
  if (cache_warm->parsed()) return fruitpak::app::run_cache_warm(config);
  if (cache_clear->parsed()) return fruitpak::app::run_cache_clear(config, cache_options);
  if (cache_invalidate->parsed()) return fruitpak::app::run_cache_invalidate(config, cache_options);
  return 2;
}
