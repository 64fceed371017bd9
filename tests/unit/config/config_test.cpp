#include "config/config.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace fruitpak::config {
namespace {

using Variables = std::map<std::string, std::string>;
using Problems = std::vector<std::string>;

std::string joined(const Problems& problems) {
  std::string out;
  for (const auto& problem : problems) out += problem + "\n";
  return out;
}

Config expect_valid(const LoadResult& result) {
  if (const auto* problems = std::get_if<Problems>(&result)) {
    ADD_FAILURE() << "unexpected problems:\n" << joined(*problems);
    return {};
  }
  return std::get<Config>(result);
}

Problems expect_problems(const LoadResult& result) {
  if (std::holds_alternative<Config>(result)) {
    ADD_FAILURE() << "expected problems, but the configuration loaded";
    return {};
  }
  return std::get<Problems>(result);
}

Config load_environment(const Variables& environment) { return expect_valid(load(Sources{environment, {}, {}})); }

// The single problem reported for `environment`.
std::string only_problem(const Variables& environment) {
  const Problems problems = expect_problems(load(Sources{environment, {}, {}}));
  EXPECT_EQ(problems.size(), 1U) << joined(problems);
  return problems.empty() ? std::string{} : problems.front();
}

// A directory of its own per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("fruitpak_config_test_" + std::to_string(::getpid()) + "_" + test->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string write(const std::string& name, const std::string& text) const {
    const auto file = path_ / name;
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }
  std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

constexpr const char* kLongSecret = "0123456789abcdef0123456789abcdef-random";

TEST(ConfigTest, DefaultsApplyWhenNothingIsSet) {
  const Config config = load_environment({});
  EXPECT_EQ(config.environment, "development");
  EXPECT_EQ(config.database.engine, DatabaseEngine::kSqlite);
  EXPECT_EQ(config.database.sqlite_path, "./var/fruitpak.db");
  EXPECT_EQ(config.database.redacted, "sqlite:///./var/fruitpak.db");
  EXPECT_FALSE(config.redis.has_value());
  EXPECT_EQ(config.host, "0.0.0.0");
  EXPECT_EQ(config.port, 8000);
  EXPECT_EQ(config.threads, std::max(1U, std::thread::hardware_concurrency()));
  EXPECT_EQ(config.secret_key, kDefaultSecretKey);
  EXPECT_EQ(config.allowed_origins, (std::vector<std::string>{"http://localhost:3000", "http://localhost:19006"}));
  EXPECT_EQ(config.log_level, "info");
  EXPECT_EQ(config.log_format, LogFormat::kText);
  EXPECT_EQ(config.jwt_algorithm, "HS256");
  EXPECT_EQ(config.access_token_expire_minutes, 30);
  EXPECT_EQ(config.refresh_token_expire_days, 7);
  EXPECT_EQ(config.otp_expiry_seconds, 300);
  EXPECT_EQ(config.twilio_account_sid, "");
  EXPECT_EQ(config.body_limit_bytes, 1024U * 1024U);
  EXPECT_EQ(config.header_timeout, std::chrono::milliseconds{10'000});
  EXPECT_EQ(config.idle_timeout, std::chrono::milliseconds{60'000});
  EXPECT_EQ(config.shutdown_grace, std::chrono::milliseconds{10'000});
  EXPECT_EQ(config.db_pool_size, 20);
  EXPECT_EQ(config.db_acquire_timeout, std::chrono::milliseconds{5'000});
  EXPECT_EQ(config.db_statement_timeout, std::chrono::milliseconds{30'000});
  EXPECT_FALSE(config.test_mode);
  EXPECT_TRUE(config.migrate_on_start);
}

TEST(ConfigTest, FlagOverridesEnvironmentWhichOverridesDotenv) {
  TempDir dir;
  Sources sources;
  sources.dotenv_path = dir.write(".env", "PORT=1111\nHOST=10.0.0.1\nLOG_LEVEL=debug\n");
  sources.environment = {{"PORT", "2222"}, {"HOST", "10.0.0.2"}};
  sources.flags = {{"PORT", "3333"}};
  const Config config = expect_valid(load(sources));
  EXPECT_EQ(config.port, 3333);            // flag
  EXPECT_EQ(config.host, "10.0.0.2");      // environment
  EXPECT_EQ(config.log_level, "debug");    // .env
  EXPECT_EQ(config.otp_expiry_seconds, 300);  // default
}

TEST(ConfigTest, DotenvIsNotReadWhenNoPathIsGiven) {
  const Config config = expect_valid(load(Sources{{{"PORT", "9000"}}, std::nullopt, {}}));
  EXPECT_EQ(config.port, 9000);
}

TEST(ConfigTest, MissingDotenvFileIsNotAProblem) {
  TempDir dir;
  const Config config = expect_valid(load(Sources{{}, dir.path("absent.env"), {}}));
  EXPECT_EQ(config.port, 8000);
}

TEST(ConfigTest, UnreadableDotenvIsAProblem) {
  TempDir dir;
  const Problems problems = expect_problems(load(Sources{{}, dir.path(""), {}}));
  ASSERT_EQ(problems.size(), 1U) << joined(problems);
  EXPECT_EQ(problems[0].rfind(".env: cannot read", 0), 0U) << problems[0];
}

TEST(ConfigTest, MalformedDotenvIsAProblemNamingTheLine) {
  TempDir dir;
  const std::string path = dir.write(".env", "PORT=1\nnot a pair\n");
  const Problems problems = expect_problems(load(Sources{{}, path, {}}));
  ASSERT_EQ(problems.size(), 1U) << joined(problems);
  EXPECT_EQ(problems[0], ".env line 2: expected KEY=VALUE (in " + path + ")");
}

TEST(ConfigTest, MalformedDotenvIsReportedAlongsideOtherProblems) {
  TempDir dir;
  const std::string path = dir.write(".env", "1BAD=x\n");
  const Problems problems = expect_problems(load(Sources{{{"PORT", "0"}}, path, {}}));
  ASSERT_EQ(problems.size(), 2U) << joined(problems);
  EXPECT_EQ(problems[0].rfind(".env line 1: ", 0), 0U);
  EXPECT_EQ(problems[1].rfind("PORT: ", 0), 0U);
}

TEST(ConfigTest, UnknownVariablesAreIgnored) {
  const Config config = load_environment({{"PATH", "/usr/bin"}, {"HOME", "/root"}, {"PROT", "abc"}, {"port", "x"}});
  EXPECT_EQ(config.port, 8000);
}

TEST(ConfigTest, OriginalOnlyVariablesAreAcceptedAndIgnored) {
  const Config config = load_environment({{"DATABASE_URL_SYNC", "postgresql://u:p@db/x"}, {"DEBUG", "not-a-bool"}});
  EXPECT_EQ(config.database.engine, DatabaseEngine::kSqlite);
}

TEST(ConfigTest, PortMustBeAnIntegerInRange) {
  EXPECT_EQ(only_problem({{"PORT", "abc"}}), "PORT: expected an integer 1..65535, got 'abc'");
  EXPECT_EQ(only_problem({{"PORT", "0"}}), "PORT: expected an integer 1..65535, got '0'");
  EXPECT_EQ(only_problem({{"PORT", "65536"}}), "PORT: expected an integer 1..65535, got '65536'");
  EXPECT_EQ(only_problem({{"PORT", ""}}), "PORT: expected an integer 1..65535, got ''");
  EXPECT_EQ(only_problem({{"PORT", "80x"}}), "PORT: expected an integer 1..65535, got '80x'");
}

TEST(ConfigTest, IntegersMayBeSurroundedByWhitespace) { EXPECT_EQ(load_environment({{"PORT", " 8080 "}}).port, 8080); }

TEST(ConfigTest, ProblemValuesStayOnOneLine) {
  EXPECT_EQ(only_problem({{"PORT", "80\n80"}}), "PORT: expected an integer 1..65535, got '80\\n80'");
}

// Every integer variable: both bounds accepted, one past each bound rejected with a
// message naming the variable and its range.
TEST(ConfigTest, EveryIntegerVariableEnforcesItsRange) {
  struct Case {
    const char* name;
    long long min;
    long long max;
  };
  const Case cases[] = {
      {"PORT", 1, 65535},
      {"THREADS", 0, 256},
      {"ACCESS_TOKEN_EXPIRE_MINUTES", 1, 1440},
      {"REFRESH_TOKEN_EXPIRE_DAYS", 1, 365},
      {"OTP_EXPIRY_SECONDS", 30, 3600},
      {"BODY_LIMIT_BYTES", 1024, 104857600},
      {"HEADER_TIMEOUT_MS", 100, 3600000},
      {"IDLE_TIMEOUT_MS", 100, 3600000},
      {"SHUTDOWN_GRACE_MS", 100, 3600000},
      {"DB_POOL_SIZE", 1, 1000},
      {"DB_ACQUIRE_TIMEOUT_MS", 1, 600000},
      {"DB_STATEMENT_TIMEOUT_MS", 0, 3600000},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string expectation = std::string(c.name) + ": expected an integer " + std::to_string(c.min) + ".." +
                                    std::to_string(c.max);
    for (const long long ok : {c.min, c.max}) {
      EXPECT_TRUE(std::holds_alternative<Config>(load(Sources{{{c.name, std::to_string(ok)}}, {}, {}})));
    }
    for (const long long bad : {c.min - 1, c.max + 1}) {
      const std::string problem = only_problem({{c.name, std::to_string(bad)}});
      EXPECT_EQ(problem.rfind(expectation, 0), 0U) << problem;
      EXPECT_NE(problem.find("got '" + std::to_string(bad) + "'"), std::string::npos) << problem;
    }
  }
}

TEST(ConfigTest, IntegerSettingsAreStored) {
  const Config config = load_environment({
      {"ACCESS_TOKEN_EXPIRE_MINUTES", "15"},
      {"REFRESH_TOKEN_EXPIRE_DAYS", "30"},
      {"OTP_EXPIRY_SECONDS", "120"},
      {"BODY_LIMIT_BYTES", "2048"},
      {"HEADER_TIMEOUT_MS", "1500"},
      {"IDLE_TIMEOUT_MS", "2500"},
      {"SHUTDOWN_GRACE_MS", "3500"},
      {"DB_POOL_SIZE", "5"},
      {"DB_ACQUIRE_TIMEOUT_MS", "250"},
      {"DB_STATEMENT_TIMEOUT_MS", "0"},
  });
  EXPECT_EQ(config.access_token_expire_minutes, 15);
  EXPECT_EQ(config.refresh_token_expire_days, 30);
  EXPECT_EQ(config.otp_expiry_seconds, 120);
  EXPECT_EQ(config.body_limit_bytes, 2048U);
  EXPECT_EQ(config.header_timeout, std::chrono::milliseconds{1500});
  EXPECT_EQ(config.idle_timeout, std::chrono::milliseconds{2500});
  EXPECT_EQ(config.shutdown_grace, std::chrono::milliseconds{3500});
  EXPECT_EQ(config.db_pool_size, 5);
  EXPECT_EQ(config.db_acquire_timeout, std::chrono::milliseconds{250});
  EXPECT_EQ(config.db_statement_timeout, std::chrono::milliseconds{0});
}

TEST(ConfigTest, MillisecondMessagesNameTheUnit) {
  EXPECT_EQ(only_problem({{"IDLE_TIMEOUT_MS", "soon"}}),
            "IDLE_TIMEOUT_MS: expected an integer 100..3600000 (milliseconds), got 'soon'");
  EXPECT_EQ(only_problem({{"DB_STATEMENT_TIMEOUT_MS", "-1"}}),
            "DB_STATEMENT_TIMEOUT_MS: expected an integer 0..3600000 (milliseconds, 0 = none), got '-1'");
}

TEST(ConfigTest, ThreadsZeroMeansOnePerCore) {
  EXPECT_EQ(load_environment({{"THREADS", "0"}}).threads, std::max(1U, std::thread::hardware_concurrency()));
}

TEST(ConfigTest, ThreadsExplicitCountIsKept) { EXPECT_EQ(load_environment({{"THREADS", "3"}}).threads, 3U); }

TEST(ConfigTest, ThreadsMessageExplainsZero) {
  EXPECT_EQ(only_problem({{"THREADS", "1000"}}), "THREADS: expected an integer 0..256 (0 = one per core), got '1000'");
}

TEST(ConfigTest, HostIsTrimmedAndMustBeNonEmpty) {
  EXPECT_EQ(load_environment({{"HOST", " 127.0.0.1 "}}).host, "127.0.0.1");
  EXPECT_EQ(only_problem({{"HOST", ""}}), "HOST: expected a host name or address to listen on, got ''");
  EXPECT_EQ(only_problem({{"HOST", "a b"}}), "HOST: expected a host name or address to listen on, got 'a b'");
}

TEST(ConfigTest, LogLevelIsCaseInsensitiveAndNormalized) {
  EXPECT_EQ(load_environment({{"LOG_LEVEL", "DEBUG"}}).log_level, "debug");
  EXPECT_EQ(load_environment({{"LOG_LEVEL", "Warning"}}).log_level, "warn");
  EXPECT_EQ(load_environment({{"LOG_LEVEL", "warn"}}).log_level, "warn");
  for (const char* level : {"trace", "info", "error", "critical", "off"}) {
    EXPECT_EQ(load_environment({{"LOG_LEVEL", level}}).log_level, level);
  }
}

TEST(ConfigTest, LogLevelRejectsUnknownLevels) {
  EXPECT_EQ(only_problem({{"LOG_LEVEL", "verbose"}}),
            "LOG_LEVEL: expected one of trace, debug, info, warn, warning, error, critical, off, got 'verbose'");
}

TEST(ConfigTest, LogFormatIsTextOrJson) {
  EXPECT_EQ(load_environment({{"LOG_FORMAT", "JSON"}}).log_format, LogFormat::kJson);
  EXPECT_EQ(load_environment({{"LOG_FORMAT", "text"}}).log_format, LogFormat::kText);
  EXPECT_EQ(only_problem({{"LOG_FORMAT", "xml"}}), "LOG_FORMAT: expected one of text, json, got 'xml'");
}

TEST(ConfigTest, EnvironmentIsCaseInsensitiveAndStoredLowercase) {
  EXPECT_EQ(load_environment({{"ENVIRONMENT", "Staging"}}).environment, "staging");
  EXPECT_EQ(load_environment({{"ENVIRONMENT", "TEST"}}).environment, "test");
  EXPECT_EQ(only_problem({{"ENVIRONMENT", "prod"}}),
            "ENVIRONMENT: expected one of development, staging, production, test, got 'prod'");
}

TEST(ConfigTest, JwtAlgorithmAcceptsOnlyHs256) {
  EXPECT_EQ(load_environment({{"JWT_ALGORITHM", "HS256"}}).jwt_algorithm, "HS256");
  EXPECT_EQ(only_problem({{"JWT_ALGORITHM", "RS256"}}),
            "JWT_ALGORITHM: expected HS256 (the only supported algorithm), got 'RS256'");
}

TEST(ConfigTest, TestModeAcceptsEveryBooleanSpelling) {
  for (const char* yes : {"1", "true", "TRUE", "yes", "on", " On "}) {
    EXPECT_TRUE(load_environment({{"FRUITPAK_TEST_MODE", yes}}).test_mode) << yes;
  }
  for (const char* no : {"0", "false", "No", "off"}) {
    EXPECT_FALSE(load_environment({{"FRUITPAK_TEST_MODE", no}}).test_mode) << no;
  }
  EXPECT_EQ(only_problem({{"FRUITPAK_TEST_MODE", "maybe"}}),
            "FRUITPAK_TEST_MODE: expected a boolean (1/0, true/false, yes/no, on/off), got 'maybe'");
}

TEST(ConfigTest, MigrateOnStartIsReadOnlyFromFlags) {
  EXPECT_FALSE(expect_valid(load(Sources{{}, {}, {{"MIGRATE_ON_START", "false"}}})).migrate_on_start);
  EXPECT_TRUE(load_environment({{"MIGRATE_ON_START", "false"}}).migrate_on_start);
  const Problems problems = expect_problems(load(Sources{{}, {}, {{"MIGRATE_ON_START", "later"}}}));
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_EQ(problems[0].rfind("MIGRATE_ON_START: expected a boolean", 0), 0U) << problems[0];
}

TEST(ConfigTest, TwilioIdentifiersAreStored) {
  const Config config = load_environment(
      {{"TWILIO_ACCOUNT_SID", "AC123"}, {"TWILIO_AUTH_TOKEN", "tok"}, {"TWILIO_FROM_NUMBER", "+27110000000"}});
  EXPECT_EQ(config.twilio_account_sid, "AC123");
  EXPECT_EQ(config.twilio_auth_token, "tok");
  EXPECT_EQ(config.twilio_from_number, "+27110000000");
}

TEST(ConfigTest, AllowedOriginsAreSplitTrimmedAndEmptyEntriesDropped) {
  EXPECT_EQ(load_environment({{"ALLOWED_ORIGINS", " https://a.example , ,http://b.example:8080,, "}}).allowed_origins,
            (std::vector<std::string>{"https://a.example", "http://b.example:8080"}));
}

TEST(ConfigTest, AllowedOriginsAcceptWildcard) {
  EXPECT_EQ(load_environment({{"ALLOWED_ORIGINS", "*"}}).allowed_origins, (std::vector<std::string>{"*"}));
}

TEST(ConfigTest, AllowedOriginsAcceptTheOriginalJsonListForm) {
  EXPECT_EQ(load_environment({{"ALLOWED_ORIGINS", R"(["http://localhost:3000", "https://app.example"])"}}).allowed_origins,
            (std::vector<std::string>{"http://localhost:3000", "https://app.example"}));
}

TEST(ConfigTest, EmptyAllowedOriginsMeansNoOrigins) {
  EXPECT_TRUE(load_environment({{"ALLOWED_ORIGINS", ""}}).allowed_origins.empty());
}

TEST(ConfigTest, AllowedOriginsReportEveryEntryWithoutScheme) {
  const Problems problems = expect_problems(load(Sources{{{"ALLOWED_ORIGINS", "app.example,https://ok,ftp://x"}}, {}, {}}));
  ASSERT_EQ(problems.size(), 2U) << joined(problems);
  EXPECT_EQ(problems[0],
            "ALLOWED_ORIGINS: expected comma-separated origins starting with http:// or https://, or '*', got "
            "'app.example'");
  EXPECT_NE(problems[1].find("got 'ftp://x'"), std::string::npos);
}

TEST(ConfigTest, DatabaseUrlIsParsed) {
  const Config config = load_environment({{"DATABASE_URL", "postgres://u:p@db:5432/fruitpak"}});
  EXPECT_EQ(config.database.engine, DatabaseEngine::kPostgres);
  EXPECT_EQ(config.database.pg_conninfo, "postgresql://u:p@db:5432/fruitpak");
}

TEST(ConfigTest, DatabaseUrlProblemNamesTheVariableAndExpectation) {
  EXPECT_EQ(only_problem({{"DATABASE_URL", "mysql://h/db"}}),
            "DATABASE_URL: expected sqlite:///path or postgresql://user:pass@host:port/db, got 'mysql://h/db' "
            "(unsupported scheme 'mysql')");
}

TEST(ConfigTest, RedisUrlIsParsed) {
  const Config config = load_environment({{"REDIS_URL", "redis://:pw@cache:6380/4"}});
  ASSERT_TRUE(config.redis.has_value());
  EXPECT_EQ(config.redis->host, "cache");
  EXPECT_EQ(config.redis->port, 6380);
  EXPECT_EQ(config.redis->db, 4);
  EXPECT_FALSE(config.redis->tls);
}

TEST(ConfigTest, TlsRedisUrlIsRefusedAtStartWithTheReason) {
  const std::string problem = only_problem({{"REDIS_URL", "rediss://:pw@cache:6380/4"}});
  EXPECT_TRUE(problem.starts_with("REDIS_URL: rediss:// (TLS) is not supported yet")) << problem;
}

TEST(ConfigTest, EmptyRedisUrlMeansNoRedis) { EXPECT_FALSE(load_environment({{"REDIS_URL", "  "}}).redis.has_value()); }

TEST(ConfigTest, EmptyRedisUrlInEnvironmentOverridesDotenv) {
  TempDir dir;
  const std::string path = dir.write(".env", "REDIS_URL=redis://redis:6379/0\n");
  EXPECT_FALSE(expect_valid(load(Sources{{{"REDIS_URL", ""}}, path, {}})).redis.has_value());
}

TEST(ConfigTest, RedisUrlProblemNamesTheVariableAndExpectation) {
  EXPECT_EQ(only_problem({{"REDIS_URL", "redis://h/42"}}),
            "REDIS_URL: expected redis://[[user]:password@]host[:port][/db], got 'redis://h/42' (the database must "
            "be a number 0..15)");
}

TEST(ConfigTest, AllProblemsAreReportedAtOnce) {
  const Problems problems = expect_problems(load(Sources{{
                                                             {"PORT", "abc"},
                                                             {"THREADS", "999"},
                                                             {"LOG_LEVEL", "loud"},
                                                             {"DATABASE_URL", "mysql://h/db"},
                                                             {"REDIS_URL", "memcached://h"},
                                                             {"JWT_ALGORITHM", "none"},
                                                             {"DB_POOL_SIZE", "0"},
                                                         },
                                                         {},
                                                         {}}));
  ASSERT_EQ(problems.size(), 7U) << joined(problems);
  for (const char* name :
       {"PORT: ", "THREADS: ", "LOG_LEVEL: ", "DATABASE_URL: ", "REDIS_URL: ", "JWT_ALGORITHM: ", "DB_POOL_SIZE: "}) {
    EXPECT_TRUE(std::any_of(problems.begin(), problems.end(),
                            [&](const std::string& problem) { return problem.rfind(name, 0) == 0; }))
        << name << " missing from:\n"
        << joined(problems);
  }
  for (const auto& problem : problems) EXPECT_EQ(problem.find('\n'), std::string::npos);
}

TEST(ConfigTest, ProductionRefusesTheDefaultSecretKey) {
  EXPECT_EQ(only_problem({{"ENVIRONMENT", "production"}}),
            "SECRET_KEY: the default secret key is not allowed when ENVIRONMENT=production; set a random value of "
            "at least 32 characters");
  EXPECT_EQ(only_problem({{"ENVIRONMENT", "production"}, {"SECRET_KEY", kDefaultSecretKey}}).rfind("SECRET_KEY: ", 0),
            0U);
}

TEST(ConfigTest, ProductionRefusesShortOrEmptySecretKeyWithoutEchoingIt) {
  const std::string problem = only_problem({{"ENVIRONMENT", "production"}, {"SECRET_KEY", "short-secret-xyz"}});
  EXPECT_EQ(problem,
            "SECRET_KEY: expected a random value of at least 32 characters when ENVIRONMENT=production, got 16 "
            "characters");
  EXPECT_EQ(only_problem({{"ENVIRONMENT", "production"}, {"SECRET_KEY", ""}}).rfind("SECRET_KEY: ", 0), 0U);
}

TEST(ConfigTest, ProductionAcceptsALongRandomSecretKey) {
  const Config config = load_environment({{"ENVIRONMENT", "PRODUCTION"}, {"SECRET_KEY", kLongSecret}});
  EXPECT_EQ(config.environment, "production");
  EXPECT_EQ(config.secret_key, kLongSecret);
}

TEST(ConfigTest, DevelopmentAllowsTheDefaultSecretKey) {
  EXPECT_EQ(load_environment({{"ENVIRONMENT", "development"}}).secret_key, kDefaultSecretKey);
}

TEST(ConfigTest, SecretsNeverAppearInProblems) {
  const Problems problems = expect_problems(load(Sources{{
                                                             {"ENVIRONMENT", "production"},
                                                             {"SECRET_KEY", "hunter2-secret"},
                                                             {"TWILIO_AUTH_TOKEN", "hunter3-token"},
                                                             {"DATABASE_URL", "mysql://u:hunter4-db@h/db"},
                                                             {"REDIS_URL", "redis://:hunter5-redis@h/99"},
                                                             {"PORT", "bad"},
                                                         },
                                                         {},
                                                         {}}));
  ASSERT_EQ(problems.size(), 4U) << joined(problems);
  const std::string all = joined(problems);
  for (const char* secret : {"hunter2", "hunter3", "hunter4", "hunter5"}) {
    EXPECT_EQ(all.find(secret), std::string::npos) << secret << " leaked:\n" << all;
  }
}

TEST(ConfigTest, DescribeMasksSecretsAndRedactsUrls) {
  const Config config = load_environment({
      {"SECRET_KEY", "hunter2-secret"},
      {"TWILIO_AUTH_TOKEN", "hunter3-token"},
      {"DATABASE_URL", "postgresql+asyncpg://fruitpak:hunter4-db@db:5432/fruitpak"},
      {"REDIS_URL", "redis://:hunter5-redis@redis:6379/0"},
  });
  const std::string line = describe(config);
  for (const char* secret : {"hunter2", "hunter3", "hunter4", "hunter5"}) {
    EXPECT_EQ(line.find(secret), std::string::npos) << secret << " leaked: " << line;
  }
  EXPECT_NE(line.find("secret_key=***"), std::string::npos) << line;
  EXPECT_NE(line.find("twilio_auth_token=***"), std::string::npos) << line;
  EXPECT_NE(line.find("database=postgresql+asyncpg://fruitpak:***@db:5432/fruitpak"), std::string::npos) << line;
  EXPECT_NE(line.find("redis=redis://:***@redis:6379/0"), std::string::npos) << line;
}

TEST(ConfigTest, DescribeIsOneLineListingEverySetting) {
  const std::string line = describe(load_environment({}));
  EXPECT_EQ(line.find('\n'), std::string::npos);
  for (const char* pair :
       {"environment=development", "database=sqlite:///./var/fruitpak.db", "redis=none", "host=0.0.0.0",
        "port=8000", "threads=", "secret_key=***", "allowed_origins=http://localhost:3000,http://localhost:19006",
        "log_level=info", "log_format=text", "jwt_algorithm=HS256", "access_token_expire_minutes=30",
        "refresh_token_expire_days=7", "otp_expiry_seconds=300", "twilio_account_sid=", "twilio_auth_token=",
        "twilio_from_number=", "body_limit_bytes=1048576", "header_timeout_ms=10000", "idle_timeout_ms=60000",
        "shutdown_grace_ms=10000", "db_pool_size=20", "db_acquire_timeout_ms=5000",
        "db_statement_timeout_ms=30000", "test_mode=false", "migrate_on_start=true"}) {
    EXPECT_NE(line.find(pair), std::string::npos) << pair << " missing from: " << line;
  }
}

// The `.env` shipped with the original system must load without edits.
TEST(ConfigTest, OriginalDotenvLoadsUnchanged) {
  TempDir dir;
  const std::string path = dir.write(".env",
                                     "# Database\n"
                                     "DATABASE_URL=postgresql+asyncpg://fruitpak:secret@db:5432/fruitpak\n"
                                     "DATABASE_URL_SYNC=postgresql://fruitpak:secret@db:5432/fruitpak\n"
                                     "\n"
                                     "# Redis\n"
                                     "REDIS_URL=redis://redis:6379/0\n"
                                     "\n"
                                     "# Auth\n"
                                     "SECRET_KEY=change-me-in-production\n"
                                     "JWT_ALGORITHM=HS256\n"
                                     "ACCESS_TOKEN_EXPIRE_MINUTES=30\n"
                                     "REFRESH_TOKEN_EXPIRE_DAYS=7\n"
                                     "\n"
                                     "# Twilio (OTP)\n"
                                     "TWILIO_ACCOUNT_SID=\n"
                                     "TWILIO_AUTH_TOKEN=\n"
                                     "TWILIO_FROM_NUMBER=\n"
                                     "OTP_EXPIRY_SECONDS=300\n"
                                     "\n"
                                     "# App\n"
                                     "ENVIRONMENT=development\n"
                                     "DEBUG=true\n"
                                     "ALLOWED_ORIGINS=http://localhost:3000,http://localhost:19006\n");
  const Config config = expect_valid(load(Sources{{}, path, {}}));
  EXPECT_EQ(config.database.engine, DatabaseEngine::kPostgres);
  EXPECT_EQ(config.database.pg_conninfo, "postgresql://fruitpak:secret@db:5432/fruitpak");
  ASSERT_TRUE(config.redis.has_value());
  EXPECT_EQ(config.redis->host, "redis");
  EXPECT_EQ(config.redis->port, 6379);
  EXPECT_EQ(config.redis->db, 0);
  EXPECT_EQ(config.secret_key, kDefaultSecretKey);
  EXPECT_EQ(config.jwt_algorithm, "HS256");
  EXPECT_EQ(config.access_token_expire_minutes, 30);
  EXPECT_EQ(config.refresh_token_expire_days, 7);
  EXPECT_EQ(config.otp_expiry_seconds, 300);
  EXPECT_EQ(config.twilio_auth_token, "");
  EXPECT_EQ(config.environment, "development");
  EXPECT_EQ(config.allowed_origins, (std::vector<std::string>{"http://localhost:3000", "http://localhost:19006"}));
}

TEST(ConfigTest, ProcessEnvironmentReadsTheEnviron) {
  ASSERT_EQ(::setenv("FRUITPAK_CONFIG_TEST_VARIABLE", "a=b=c", 1), 0);
  const auto variables = process_environment();
  ::unsetenv("FRUITPAK_CONFIG_TEST_VARIABLE");
  const auto it = variables.find("FRUITPAK_CONFIG_TEST_VARIABLE");
  ASSERT_NE(it, variables.end());
  EXPECT_EQ(it->second, "a=b=c");
}

}  // namespace
}  // namespace fruitpak::config
