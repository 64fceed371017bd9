#pragma once
// The process configuration. Loaded once at start from (highest wins) command-line flags,
// environment variables, an optional `.env` file, and defaults. This folder is the only
// place that reads the environment.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace fruitpak::config {

enum class LogFormat { kText, kJson };
enum class DatabaseEngine { kSqlite, kPostgres };

// The default SECRET_KEY of the original system; refused when ENVIRONMENT=production.
inline constexpr const char* kDefaultSecretKey = "change-me-in-production";

struct DatabaseUrl {
  DatabaseEngine engine = DatabaseEngine::kSqlite;
  std::string sqlite_path;   // kSqlite: file path (":memory:" allowed)
  std::string pg_conninfo;   // kPostgres: a libpq URI "postgresql://..." (asyncpg form rewritten)
  std::string redacted;      // for logs: the URL with any password replaced by "***"
};

struct RedisEndpoint {
  std::string host;
  std::uint16_t port = 26379;
};

// redis://, rediss://, redis+sentinel:// or redis+cluster://. With sentinels, host/port are
// unused: each new connection asks the sentinels, in turn, where `sentinel_master` is now
// (cache/sentinel.hpp). With cluster nodes, host/port are the first seed: the pool learns
// the slot map from the seeds and follows MOVED/ASK (cache/redis_cluster.hpp).
struct RedisUrl {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  std::string username;
  std::string password;
  int db = 0;
  bool tls = false;          // rediss://
  std::string redacted;
  std::vector<RedisEndpoint> sentinels;  // redis+sentinel://: at least one
  std::string sentinel_master;           // redis+sentinel://: the master's name
  std::vector<RedisEndpoint> cluster_nodes;  // redis+cluster:// (or redis://h1,h2...): seeds, >= 1
};

struct Config {
  std::string environment = "development";
  DatabaseUrl database;                // default sqlite ./var/fruitpak.db
  std::optional<RedisUrl> redis;       // REDIS_URL empty -> no Redis
  std::string host = "0.0.0.0";
  std::uint16_t port = 8000;
  unsigned threads = 0;                // THREADS; 0 in the environment means "one per core"
  std::string secret_key = kDefaultSecretKey;
  std::vector<std::string> allowed_origins{"http://localhost:3000", "http://localhost:19006"};
  std::string log_level = "info";      // trace|debug|info|warn|error|critical|off
  LogFormat log_format = LogFormat::kText;

  // Variables of the original system (contract section 1.10).
  std::string jwt_algorithm = "HS256";
  int access_token_expire_minutes = 30;
  int refresh_token_expire_days = 7;
  int otp_expiry_seconds = 300;
  std::string twilio_account_sid;
  std::string twilio_auth_token;
  std::string twilio_from_number;

  // Accounts and rate limits (decision D3). Limits are configuration so benchmarks can
  // raise them.
  int bcrypt_cost = 12;                          // BCRYPT_COST (4..16)
  int rate_limit_user_per_minute = 500;          // RATE_LIMIT_USER_PER_MINUTE
  int rate_limit_anonymous_per_minute = 100;     // RATE_LIMIT_ANONYMOUS_PER_MINUTE
  int rate_limit_login_per_minute = 5;           // RATE_LIMIT_LOGIN_PER_MINUTE (per IP)
  int rate_limit_register_per_5_minutes = 3;     // RATE_LIMIT_REGISTER_PER_5_MINUTES (per IP)
  int login_failures_per_account = 10;           // LOGIN_FAILURES_PER_ACCOUNT per 15 minutes
  bool trust_forwarded_for = false;              // TRUST_FORWARDED_FOR: client IP from X-Forwarded-For

  // Server limits.
  std::size_t body_limit_bytes = 1024 * 1024;          // BODY_LIMIT_BYTES
  std::chrono::milliseconds header_timeout{10'000};    // HEADER_TIMEOUT_MS
  std::chrono::milliseconds idle_timeout{60'000};      // IDLE_TIMEOUT_MS
  std::chrono::milliseconds shutdown_grace{10'000};    // SHUTDOWN_GRACE_MS

  // Database pool.
  int db_pool_size = 20;                                    // DB_POOL_SIZE (1..1000)
  std::chrono::milliseconds db_acquire_timeout{5'000};      // DB_ACQUIRE_TIMEOUT_MS
  std::chrono::milliseconds db_statement_timeout{30'000};   // DB_STATEMENT_TIMEOUT_MS

  // Response cache (issue 6).
  bool cache_enabled = true;                       // CACHE_ENABLED=0: every read goes to the database
  std::string cache_version;                       // CACHE_VERSION; empty: derived from schema + serializers
  std::int64_t cache_l1_bytes = 64LL << 20;        // CACHE_L1_BYTES; 0 disables L1
  int cache_l1_tenant_share_percent = 25;          // CACHE_L1_TENANT_SHARE (percent of L1 per tenant)
  int cache_failsafe_seconds = 300;                // CACHE_FAILSAFE_SECONDS: stale answers while the DB fails
  int redis_pool_size = 50;                        // REDIS_POOL_SIZE
  int redis_command_timeout_ms = 50;               // REDIS_COMMAND_TIMEOUT_MS

  bool cache_warm_on_start = false;                // CACHE_WARM_ON_START=1: fill the cache before serving

  // Reconciliation (issue 8): tolerances and severity steps, contract 4.1's defaults, in
  // basis points (1 % = 100) and cents.
  std::int64_t recon_weight_tolerance_bp = 200;    // RECONCILIATION_WEIGHT_TOLERANCE_BP: 2.00 %
  std::int64_t recon_amount_tolerance_cents = 5'000; // RECONCILIATION_AMOUNT_TOLERANCE_CENTS: 50.00
  std::int64_t recon_pallet_tolerance = 0;         // RECONCILIATION_PALLET_TOLERANCE: exact
  std::int64_t recon_medium_bp = 500;              // RECONCILIATION_MEDIUM_BP: >= 5 % medium
  std::int64_t recon_high_bp = 1'000;              // RECONCILIATION_HIGH_BP: >= 10 % high
  std::int64_t recon_critical_bp = 2'000;          // RECONCILIATION_CRITICAL_BP: >= 20 % critical
  bool recon_schedule = true;                      // RECONCILIATION_SCHEDULE: the daily run in `serve`
  int recon_hour = 2;                              // RECONCILIATION_HOUR: its hour (UTC, 0..23)
  bool recon_catch_up = false;                     // RECONCILIATION_CATCH_UP=1: run today's passed slot on start

  std::string metrics_token;    // METRICS_TOKEN: if set, /metrics wants "Authorization: Bearer <token>"
  int metrics_redis_sample_seconds = 30;  // METRICS_REDIS_SAMPLE_SECONDS: Redis usage sampled at most this often

  bool test_mode = false;       // FRUITPAK_TEST_MODE=1: X-Query-Count on every response
  bool migrate_on_start = true; // serve --no-migrate sets it false (flag only)
};

// Where configuration comes from. `flags` uses the environment variable names as keys
// (the CLI maps --port to "PORT"), so precedence is applied uniformly.
struct Sources {
  std::map<std::string, std::string> environment;
  std::optional<std::string> dotenv_path;   // read if the file exists; missing is not an error
  std::map<std::string, std::string> flags;
};

// Either a valid Config or every problem found, one human-readable line each, naming the
// variable and what is expected ("PORT: expected an integer 1..65535, got 'abc'").
using LoadResult = std::variant<Config, std::vector<std::string>>;

LoadResult load(const Sources& sources);

// Reads the process environment into a map (the only getenv-style access in the project).
std::map<std::string, std::string> process_environment();

// Parses DATABASE_URL. Accepts sqlite:///abs/path, sqlite:///./rel/path, sqlite://:memory:,
// postgresql://, postgres:// and postgresql+asyncpg:// (the original's form).
std::variant<DatabaseUrl, std::string> parse_database_url(const std::string& url);

// Parses REDIS_URL: redis://[[user]:password@]host[:port][/db] and rediss://.
std::variant<RedisUrl, std::string> parse_redis_url(const std::string& url);

// Parses a .env file's text: KEY=VALUE lines, `export ` prefix, # comments, single or
// double quotes. Returns the pairs, or an error naming the line number.
std::variant<std::map<std::string, std::string>, std::string> parse_dotenv(const std::string& text);

// One line for the start-up log: every setting, secrets replaced by "***".
std::string describe(const Config& config);

}  // namespace fruitpak::config
