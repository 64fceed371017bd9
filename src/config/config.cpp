// Loading and validating the configuration. Sources are merged first (flags over
// environment over `.env`), then every known variable is validated, so one run reports
// every problem. Unknown variables are ignored: the environment holds many unrelated ones.

#include "config/config.hpp"

#include <unistd.h>  // environ

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string_view>
#include <thread>

namespace fruitpak::config {
namespace {

using Values = std::map<std::string, std::string>;

// Read only from Sources::flags: a stray MIGRATE_ON_START in the environment must not
// silently skip migrations.
constexpr std::string_view kMigrateOnStart = "MIGRATE_ON_START";

// Config's default-constructed DatabaseUrl is empty; load() fills it from this.
constexpr std::string_view kDefaultDatabaseUrl = "sqlite:///./var/fruitpak.db";

std::string_view trim(std::string_view s) {
  constexpr std::string_view kWhitespace = " \t\r\n\f\v";
  const auto first = s.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(kWhitespace);
  return s.substr(first, last - first + 1);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A value as shown in a problem line: quoted, with control characters escaped so that
// each problem stays on one line.
std::string shown(std::string_view value) {
  std::string out = "'";
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (byte < 0x20 || byte == 0x7f) {
      constexpr std::string_view kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

struct IntRange {
  long long min = 0;
  long long max = 0;
  std::string_view note;  // appended to the expectation, e.g. " (milliseconds)"
};

std::optional<long long> parse_integer(std::string_view text, const IntRange& range) {
  text = trim(text);
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  if (value < range.min || value > range.max) return std::nullopt;
  return value;
}

// Reads validated settings out of the merged sources. Each typed reader leaves `out`
// (holding the default) untouched when the variable is unset, and records one problem line
// naming the variable, the expectation and the value when it is invalid. Because they echo
// the value, secrets are read with `raw` and reported, if at all, with `problem`.
class Reader {
 public:
  Reader(const Values& values, std::vector<std::string>& problems) : values_(values), problems_(problems) {}

  const std::string* raw(std::string_view name) const {
    const auto it = values_.find(std::string(name));
    return it == values_.end() ? nullptr : &it->second;
  }

  void problem(std::string_view name, std::string_view text) {
    problems_.push_back(std::string(name) + ": " + std::string(text));
  }

  void expected(std::string_view name, std::string_view expectation, std::string_view value) {
    problem(name, "expected " + std::string(expectation) + ", got " + shown(value));
  }

  template <class T>
  void integer(std::string_view name, const IntRange& range, T& out) {
    const std::string* value = raw(name);
    if (!value) return;
    if (const auto parsed = parse_integer(*value, range)) {
      out = static_cast<T>(*parsed);
      return;
    }
    expected(name,
             "an integer " + std::to_string(range.min) + ".." + std::to_string(range.max) +
                 std::string(range.note),
             *value);
  }

  void milliseconds(std::string_view name, const IntRange& range, std::chrono::milliseconds& out) {
    long long count = out.count();
    integer(name, range, count);
    out = std::chrono::milliseconds{count};
  }

  void boolean(std::string_view name, bool& out) {
    const std::string* value = raw(name);
    if (!value) return;
    const std::string word = lower(trim(*value));
    if (word == "1" || word == "true" || word == "yes" || word == "on") {
      out = true;
    } else if (word == "0" || word == "false" || word == "no" || word == "off") {
      out = false;
    } else {
      expected(name, "a boolean (1/0, true/false, yes/no, on/off)", *value);
    }
  }

  // Case-insensitive; stores the lowercase word.
  void choice(std::string_view name, std::initializer_list<std::string_view> choices, std::string& out) {
    const std::string* value = raw(name);
    if (!value) return;
    const std::string word = lower(trim(*value));
    if (std::find(choices.begin(), choices.end(), word) != choices.end()) {
      out = word;
      return;
    }
    std::string list;
    for (const auto choice : choices) list += (list.empty() ? "" : ", ") + std::string(choice);
    expected(name, "one of " + list, *value);
  }

  // Trimmed text, any value accepted.
  void text(std::string_view name, std::string& out) {
    if (const std::string* value = raw(name)) out = std::string(trim(*value));
  }

 private:
  const Values& values_;
  std::vector<std::string>& problems_;
};

void read_logging(Reader& reader, Config& config) {
  reader.choice("ENVIRONMENT", {"development", "staging", "production", "test"}, config.environment);
  std::string level = config.log_level;
  reader.choice("LOG_LEVEL", {"trace", "debug", "info", "warn", "warning", "error", "critical", "off"}, level);
  config.log_level = level == "warning" ? "warn" : level;
  std::string format = config.log_format == LogFormat::kJson ? "json" : "text";
  reader.choice("LOG_FORMAT", {"text", "json"}, format);
  config.log_format = format == "json" ? LogFormat::kJson : LogFormat::kText;
}

void read_stores(Reader& reader, Config& config) {
  const std::string* database = reader.raw("DATABASE_URL");
  auto parsed_database = parse_database_url(database ? *database : std::string(kDefaultDatabaseUrl));
  if (auto* url = std::get_if<DatabaseUrl>(&parsed_database)) {
    config.database = std::move(*url);
  } else {
    reader.problem("DATABASE_URL", std::get<std::string>(parsed_database));
  }
  const std::string* redis = reader.raw("REDIS_URL");
  if (!redis || trim(*redis).empty()) return;
  auto parsed_redis = parse_redis_url(*redis);
  if (auto* url = std::get_if<RedisUrl>(&parsed_redis); url && url->tls) {
    // Our Redis client speaks RESP over a plain Asio socket (hiredis only parses replies);
    // TLS would need an ssl::stream there. Refuse at start-up rather than fail per request.
    reader.problem("REDIS_URL", "rediss:// (TLS) is not supported yet; use redis:// on loopback or a private "
                                "network, or a TLS tunnel (stunnel, spiped) to the Redis server");
  } else if (url) {
    config.redis = std::move(*url);
  } else {
    reader.problem("REDIS_URL", std::get<std::string>(parsed_redis));
  }
}

// Splits ALLOWED_ORIGINS on commas. pydantic-settings read list settings as JSON, so the
// original's `.env` may hold `["http://a","http://b"]`; brackets and quotes are dropped.
std::vector<std::string> split_origins(std::string_view text) {
  text = trim(text);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  std::vector<std::string> origins;
  for (;;) {
    const auto comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    if (item.size() >= 2 && (item.front() == '"' || item.front() == '\'') && item.back() == item.front()) {
      item = trim(item.substr(1, item.size() - 2));
    }
    if (!item.empty()) origins.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text = text.substr(comma + 1);
  }
  return origins;
}

bool is_valid_origin(std::string_view origin) {
  if (origin == "*") return true;
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (origin.starts_with(scheme) && origin.size() > scheme.size()) return true;
  }
  return false;
}

void read_origins(Reader& reader, Config& config) {
  const std::string* value = reader.raw("ALLOWED_ORIGINS");
  if (!value) return;
  std::vector<std::string> origins = split_origins(*value);
  bool is_valid = true;
  for (const auto& origin : origins) {
    if (is_valid_origin(origin)) continue;
    is_valid = false;
    reader.expected("ALLOWED_ORIGINS", "comma-separated origins starting with http:// or https://, or '*'", origin);
  }
  if (is_valid) config.allowed_origins = std::move(origins);
}

void read_server(Reader& reader, Config& config) {
  if (const std::string* value = reader.raw("HOST")) {
    const std::string_view host = trim(*value);
    if (host.empty() || host.find_first_of(" \t\r\n") != std::string_view::npos) {
      reader.expected("HOST", "a host name or address to listen on", *value);
    } else {
      config.host = std::string(host);
    }
  }
  reader.integer("PORT", {1, 65535, ""}, config.port);
  reader.integer("THREADS", {0, 256, " (0 = one per core)"}, config.threads);
  if (config.threads == 0) config.threads = std::max(1U, std::thread::hardware_concurrency());
  read_origins(reader, config);
  reader.integer("BODY_LIMIT_BYTES", {1024, 104'857'600, " (bytes)"}, config.body_limit_bytes);
  reader.milliseconds("HEADER_TIMEOUT_MS", {100, 3'600'000, " (milliseconds)"}, config.header_timeout);
  reader.milliseconds("IDLE_TIMEOUT_MS", {100, 3'600'000, " (milliseconds)"}, config.idle_timeout);
  reader.milliseconds("SHUTDOWN_GRACE_MS", {100, 3'600'000, " (milliseconds)"}, config.shutdown_grace);
}

void read_auth(Reader& reader, Config& config) {
  // Secrets are copied as written (no trimming) and never echoed.
  if (const std::string* value = reader.raw("SECRET_KEY")) config.secret_key = *value;
  if (const std::string* value = reader.raw("TWILIO_AUTH_TOKEN")) config.twilio_auth_token = *value;
  if (const std::string* value = reader.raw("JWT_ALGORITHM")) {
    if (trim(*value) == "HS256") {
      config.jwt_algorithm = "HS256";
    } else {
      reader.expected("JWT_ALGORITHM", "HS256 (the only supported algorithm)", *value);
    }
  }
  reader.integer("ACCESS_TOKEN_EXPIRE_MINUTES", {1, 1440, ""}, config.access_token_expire_minutes);
  reader.integer("REFRESH_TOKEN_EXPIRE_DAYS", {1, 365, ""}, config.refresh_token_expire_days);
  reader.integer("OTP_EXPIRY_SECONDS", {30, 3600, ""}, config.otp_expiry_seconds);
  reader.text("TWILIO_ACCOUNT_SID", config.twilio_account_sid);
  reader.text("TWILIO_FROM_NUMBER", config.twilio_from_number);
  reader.integer("BCRYPT_COST", {4, 16, ""}, config.bcrypt_cost);
  reader.integer("RATE_LIMIT_USER_PER_MINUTE", {1, 1'000'000'000, ""}, config.rate_limit_user_per_minute);
  reader.integer("RATE_LIMIT_ANONYMOUS_PER_MINUTE", {1, 1'000'000'000, ""}, config.rate_limit_anonymous_per_minute);
  reader.integer("RATE_LIMIT_LOGIN_PER_MINUTE", {1, 1'000'000, ""}, config.rate_limit_login_per_minute);
  reader.integer("RATE_LIMIT_REGISTER_PER_5_MINUTES", {1, 1'000'000, ""}, config.rate_limit_register_per_5_minutes);
  reader.integer("LOGIN_FAILURES_PER_ACCOUNT", {1, 1'000'000, " (per 15 minutes)"}, config.login_failures_per_account);
  reader.boolean("TRUST_FORWARDED_FOR", config.trust_forwarded_for);
}

void read_pool_and_flags(Reader& reader, Config& config) {
  reader.integer("DB_POOL_SIZE", {1, 1000, ""}, config.db_pool_size);
  reader.milliseconds("DB_ACQUIRE_TIMEOUT_MS", {1, 600'000, " (milliseconds)"}, config.db_acquire_timeout);
  reader.milliseconds("DB_STATEMENT_TIMEOUT_MS", {0, 3'600'000, " (milliseconds, 0 = none)"},
                      config.db_statement_timeout);
  reader.boolean("CACHE_ENABLED", config.cache_enabled);
  reader.text("CACHE_VERSION", config.cache_version);
  reader.integer("CACHE_L1_BYTES", {0, 64LL << 30, " (bytes, 0 disables L1)"}, config.cache_l1_bytes);
  reader.integer("CACHE_L1_TENANT_SHARE", {1, 100, " (percent)"}, config.cache_l1_tenant_share_percent);
  reader.integer("CACHE_FAILSAFE_SECONDS", {0, 86'400, " (seconds)"}, config.cache_failsafe_seconds);
  reader.integer("REDIS_POOL_SIZE", {1, 1000, ""}, config.redis_pool_size);
  reader.integer("REDIS_COMMAND_TIMEOUT_MS", {1, 60'000, " (milliseconds)"}, config.redis_command_timeout_ms);
  reader.boolean("CACHE_WARM_ON_START", config.cache_warm_on_start);
  reader.text("METRICS_TOKEN", config.metrics_token);
  reader.integer("METRICS_REDIS_SAMPLE_SECONDS", {0, 86'400, " (seconds)"}, config.metrics_redis_sample_seconds);
  reader.integer("RECONCILIATION_WEIGHT_TOLERANCE_BP", {0, 10'000, " (basis points)"}, config.recon_weight_tolerance_bp);
  reader.integer("RECONCILIATION_AMOUNT_TOLERANCE_CENTS", {0, 100'000'000, " (cents)"},
                 config.recon_amount_tolerance_cents);
  reader.integer("RECONCILIATION_PALLET_TOLERANCE", {0, 1'000, " (pallets)"}, config.recon_pallet_tolerance);
  reader.integer("RECONCILIATION_MEDIUM_BP", {0, 100'000, " (basis points)"}, config.recon_medium_bp);
  reader.integer("RECONCILIATION_HIGH_BP", {0, 100'000, " (basis points)"}, config.recon_high_bp);
  reader.integer("RECONCILIATION_CRITICAL_BP", {0, 100'000, " (basis points)"}, config.recon_critical_bp);
  reader.boolean("RECONCILIATION_SCHEDULE", config.recon_schedule);
  reader.integer("RECONCILIATION_HOUR", {0, 23, " (hour of the day, UTC)"}, config.recon_hour);
  reader.boolean("RECONCILIATION_CATCH_UP", config.recon_catch_up);
  reader.boolean("FRUITPAK_TEST_MODE", config.test_mode);
  reader.boolean(kMigrateOnStart, config.migrate_on_start);
}

// Production must not sign tokens with the published default key or a guessable one.
void check_production_secret(Reader& reader, const Config& config) {
  if (config.environment != "production") return;
  if (config.secret_key == kDefaultSecretKey) {
    reader.problem("SECRET_KEY",
                   "the default secret key is not allowed when ENVIRONMENT=production; set a random value "
                   "of at least 32 characters");
  } else if (config.secret_key.size() < 32) {
    reader.problem("SECRET_KEY", "expected a random value of at least 32 characters when ENVIRONMENT=production, got " +
                                     std::to_string(config.secret_key.size()) + " characters");
  }
}

// Reads the `.env` file into `values`. A missing file is not a problem; an unreadable or
// malformed one is.
void read_dotenv(const std::string& path, Values& values, std::vector<std::string>& problems) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) return;
  if (ec || std::filesystem::is_directory(status)) {
    problems.push_back(".env: cannot read " + shown(path) + (ec ? ": " + ec.message() : ": is a directory"));
    return;
  }
  errno = 0;  // so a stale errno is not blamed on the open below
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  if (file) text << file.rdbuf();
  if (!file || file.bad()) {
    const int error = errno;
    problems.push_back(".env: cannot read " + shown(path) + (error ? ": " + std::string(std::strerror(error)) : ""));
    return;
  }
  auto parsed = parse_dotenv(text.str());
  if (auto* pairs = std::get_if<Values>(&parsed)) {
    values = std::move(*pairs);
  } else {
    problems.push_back(std::get<std::string>(parsed) + " (in " + path + ")");
  }
}

// An unset secret shows as empty: that reveals nothing and tells the operator it is unset.
std::string masked(const std::string& secret) { return secret.empty() ? "" : "***"; }

}  // namespace

LoadResult load(const Sources& sources) {
  std::vector<std::string> problems;
  Values values;
  if (sources.dotenv_path) read_dotenv(*sources.dotenv_path, values, problems);
  for (const auto& [name, value] : sources.environment) values[name] = value;
  values.erase(std::string(kMigrateOnStart));
  for (const auto& [name, value] : sources.flags) values[name] = value;

  Config config;
  Reader reader(values, problems);
  read_logging(reader, config);
  read_stores(reader, config);
  read_server(reader, config);
  read_auth(reader, config);
  read_pool_and_flags(reader, config);
  check_production_secret(reader, config);
  if (!problems.empty()) return problems;
  return config;
}

std::map<std::string, std::string> process_environment() {
  std::map<std::string, std::string> variables;
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string_view text(*entry);
    const auto eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    variables.emplace(text.substr(0, eq), text.substr(eq + 1));  // the first wins, as getenv
  }
  return variables;
}

std::string describe(const Config& config) {
  const std::vector<std::pair<std::string_view, std::string>> pairs = {
      {"environment", config.environment},
      {"database", config.database.redacted},
      {"redis", config.redis ? config.redis->redacted : "none"},
      {"host", config.host},
      {"port", std::to_string(config.port)},
      {"threads", std::to_string(config.threads)},
      {"secret_key", masked(config.secret_key)},
      {"allowed_origins", join(config.allowed_origins, ",")},
      {"log_level", config.log_level},
      {"log_format", config.log_format == LogFormat::kJson ? "json" : "text"},
      {"jwt_algorithm", config.jwt_algorithm},
      {"access_token_expire_minutes", std::to_string(config.access_token_expire_minutes)},
      {"refresh_token_expire_days", std::to_string(config.refresh_token_expire_days)},
      {"otp_expiry_seconds", std::to_string(config.otp_expiry_seconds)},
      {"twilio_account_sid", config.twilio_account_sid},
      {"twilio_auth_token", masked(config.twilio_auth_token)},
      {"twilio_from_number", config.twilio_from_number},
      {"body_limit_bytes", std::to_string(config.body_limit_bytes)},
      {"header_timeout_ms", std::to_string(config.header_timeout.count())},
      {"idle_timeout_ms", std::to_string(config.idle_timeout.count())},
      {"shutdown_grace_ms", std::to_string(config.shutdown_grace.count())},
      {"db_pool_size", std::to_string(config.db_pool_size)},
      {"db_acquire_timeout_ms", std::to_string(config.db_acquire_timeout.count())},
      {"db_statement_timeout_ms", std::to_string(config.db_statement_timeout.count())},
      {"cache_enabled", config.cache_enabled ? "true" : "false"},
      {"cache_version", config.cache_version.empty() ? "derived" : config.cache_version},
      {"cache_l1_bytes", std::to_string(config.cache_l1_bytes)},
      {"cache_l1_tenant_share", std::to_string(config.cache_l1_tenant_share_percent) + "%"},
      {"cache_failsafe_seconds", std::to_string(config.cache_failsafe_seconds)},
      {"redis_pool_size", std::to_string(config.redis_pool_size)},
      {"redis_command_timeout_ms", std::to_string(config.redis_command_timeout_ms)},
      {"cache_warm_on_start", config.cache_warm_on_start ? "true" : "false"},
      {"metrics_token", masked(config.metrics_token)},
      {"metrics_redis_sample_seconds", std::to_string(config.metrics_redis_sample_seconds)},
      {"test_mode", config.test_mode ? "true" : "false"},
      {"migrate_on_start", config.migrate_on_start ? "true" : "false"},
  };
  std::string line;
  for (const auto& [key, value] : pairs) {
    if (!line.empty()) line += ' ';
    line += std::string(key) + "=" + value;
  }
  return line;
}

}  // namespace fruitpak::config
