#include "config/config.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fruitpak::config {
namespace {

DatabaseUrl database_ok(const std::string& url) {
  auto parsed = parse_database_url(url);
  if (const auto* error = std::get_if<std::string>(&parsed)) {
    ADD_FAILURE() << url << ": unexpected error: " << *error;
    return {};
  }
  return std::get<DatabaseUrl>(parsed);
}

std::string database_error(const std::string& url) {
  auto parsed = parse_database_url(url);
  if (std::holds_alternative<DatabaseUrl>(parsed)) {
    ADD_FAILURE() << url << ": expected an error";
    return {};
  }
  return std::get<std::string>(parsed);
}

RedisUrl redis_ok(const std::string& url) {
  auto parsed = parse_redis_url(url);
  if (const auto* error = std::get_if<std::string>(&parsed)) {
    ADD_FAILURE() << url << ": unexpected error: " << *error;
    return {};
  }
  return std::get<RedisUrl>(parsed);
}

std::string redis_error(const std::string& url) {
  auto parsed = parse_redis_url(url);
  if (std::holds_alternative<RedisUrl>(parsed)) {
    ADD_FAILURE() << url << ": expected an error";
    return {};
  }
  return std::get<std::string>(parsed);
}

constexpr const char* kDatabaseExpected = "expected sqlite:///path or postgresql://user:pass@host:port/db";
constexpr const char* kRedisExpected = "expected redis://[[user]:password@]host[:port][/db]";

TEST(DatabaseUrlTest, SqliteAbsolutePath) {
  const DatabaseUrl url = database_ok("sqlite:///abs/path.db");
  EXPECT_EQ(url.engine, DatabaseEngine::kSqlite);
  EXPECT_EQ(url.sqlite_path, "/abs/path.db");
  EXPECT_EQ(url.pg_conninfo, "");
  EXPECT_EQ(url.redacted, "sqlite:///abs/path.db");
}

TEST(DatabaseUrlTest, SqliteRelativePath) {
  EXPECT_EQ(database_ok("sqlite:///./rel.db").sqlite_path, "./rel.db");
  EXPECT_EQ(database_ok("sqlite:///../up/rel.db").sqlite_path, "../up/rel.db");
  EXPECT_EQ(database_ok("sqlite:///./var/fruitpak.db").sqlite_path, "./var/fruitpak.db");
}

TEST(DatabaseUrlTest, SqliteSqlalchemyAbsoluteFormWithFourSlashes) {
  EXPECT_EQ(database_ok("sqlite:////abs/path.db").sqlite_path, "/abs/path.db");
}

TEST(DatabaseUrlTest, SqliteInMemoryBothForms) {
  EXPECT_EQ(database_ok("sqlite:///:memory:").sqlite_path, ":memory:");
  EXPECT_EQ(database_ok("sqlite://:memory:").sqlite_path, ":memory:");
}

TEST(DatabaseUrlTest, SchemeIsCaseInsensitiveAndSurroundingWhitespaceIgnored) {
  EXPECT_EQ(database_ok("  SQLite:///./x.db \n").sqlite_path, "./x.db");
  EXPECT_EQ(database_ok("PostgreSQL://h/db").pg_conninfo, "postgresql://h/db");
}

TEST(DatabaseUrlTest, SqliteRejectsHostEmptyPathAndQuery) {
  EXPECT_NE(database_error("sqlite://host/x.db").find("a sqlite URL has no host"), std::string::npos);
  EXPECT_NE(database_error("sqlite://").find("the path names no file"), std::string::npos);
  EXPECT_NE(database_error("sqlite:///").find("the path names no file"), std::string::npos);
  EXPECT_NE(database_error("sqlite:///./x.db?mode=ro").find("no query"), std::string::npos);
  EXPECT_NE(database_error("sqlite:x.db").find(kDatabaseExpected), std::string::npos);
}

TEST(DatabaseUrlTest, PostgresqlUrlPassesThroughToLibpq) {
  const DatabaseUrl url = database_ok("postgresql://user:pass@host:5433/db?sslmode=require&application_name=fp");
  EXPECT_EQ(url.engine, DatabaseEngine::kPostgres);
  EXPECT_EQ(url.pg_conninfo, "postgresql://user:pass@host:5433/db?sslmode=require&application_name=fp");
  EXPECT_EQ(url.sqlite_path, "");
}

TEST(DatabaseUrlTest, PostgresSchemeIsRewrittenForLibpq) {
  EXPECT_EQ(database_ok("postgres://u:p@h/db").pg_conninfo, "postgresql://u:p@h/db");
}

TEST(DatabaseUrlTest, OriginalDriverSchemesAreRewrittenKeepingQuery) {
  EXPECT_EQ(database_ok("postgresql+asyncpg://fruitpak:secret@db:5432/fruitpak").pg_conninfo,
            "postgresql://fruitpak:secret@db:5432/fruitpak");
  EXPECT_EQ(database_ok("postgresql+psycopg2://u:p@h:5432/db?connect_timeout=5").pg_conninfo,
            "postgresql://u:p@h:5432/db?connect_timeout=5");
}

TEST(DatabaseUrlTest, PostgresWithoutHostMeansUnixSocket) {
  EXPECT_EQ(database_ok("postgresql:///fruitpak").pg_conninfo, "postgresql:///fruitpak");
}

TEST(DatabaseUrlTest, PercentEncodedCredentialsSurviveUndecoded) {
  const DatabaseUrl url = database_ok("postgresql+asyncpg://us%40er:p%40ss%3Aw%2Fd@h/db");
  EXPECT_EQ(url.pg_conninfo, "postgresql://us%40er:p%40ss%3Aw%2Fd@h/db");
  EXPECT_EQ(url.redacted, "postgresql+asyncpg://us%40er:***@h/db");
}

TEST(DatabaseUrlTest, RedactedReplacesPasswordOnly) {
  EXPECT_EQ(database_ok("postgresql+asyncpg://fruitpak:secret@db:5432/fruitpak").redacted,
            "postgresql+asyncpg://fruitpak:***@db:5432/fruitpak");
  EXPECT_EQ(database_ok("postgresql://fruitpak@db/fruitpak").redacted, "postgresql://fruitpak@db/fruitpak");
}

TEST(DatabaseUrlTest, RedactedHidesPasswordQueryParameters) {
  const DatabaseUrl url = database_ok("postgresql://u@h/db?password=secret&sslmode=require&sslpassword=other");
  EXPECT_EQ(url.redacted, "postgresql://u@h/db?password=***&sslmode=require&sslpassword=***");
  EXPECT_EQ(url.pg_conninfo, "postgresql://u@h/db?password=secret&sslmode=require&sslpassword=other");
}

TEST(DatabaseUrlTest, RejectsUnsupportedScheme) {
  const std::string error = database_error("mysql://u:secret@h/db");
  EXPECT_EQ(error, std::string(kDatabaseExpected) + ", got 'mysql://u:***@h/db' (unsupported scheme 'mysql')");
}

TEST(DatabaseUrlTest, RejectsTextWithoutScheme) {
  EXPECT_NE(database_error("./var/fruitpak.db").find("missing scheme"), std::string::npos);
  EXPECT_NE(database_error("").find(kDatabaseExpected), std::string::npos);
}

TEST(DatabaseUrlTest, RejectsPortOutOfRange) {
  EXPECT_NE(database_error("postgresql://h:99999/db").find("the port must be 1..65535"), std::string::npos);
  EXPECT_NE(database_error("postgresql://h:0/db").find("the port must be 1..65535"), std::string::npos);
}

TEST(DatabaseUrlTest, MalformedUrlErrorHidesThePassword) {
  const std::string error = database_error("postgresql://user:p@ss w/rd#x@host/db");
  EXPECT_NE(error.find(kDatabaseExpected), std::string::npos);
  EXPECT_NE(error.find("percent-encode"), std::string::npos);
  EXPECT_EQ(error.find("ss w"), std::string::npos) << error;
  EXPECT_NE(error.find("postgresql://user:***@host/db"), std::string::npos) << error;
}

TEST(RedisUrlTest, HostOnlyUsesDefaults) {
  const RedisUrl url = redis_ok("redis://redis");
  EXPECT_EQ(url.host, "redis");
  EXPECT_EQ(url.port, 6379);
  EXPECT_EQ(url.db, 0);
  EXPECT_FALSE(url.tls);
  EXPECT_EQ(url.username, "");
  EXPECT_EQ(url.password, "");
  EXPECT_EQ(url.redacted, "redis://redis");
}

TEST(RedisUrlTest, ParsesPortAndDatabase) {
  const RedisUrl url = redis_ok("redis://redis:6380/15");
  EXPECT_EQ(url.host, "redis");
  EXPECT_EQ(url.port, 6380);
  EXPECT_EQ(url.db, 15);
}

TEST(RedisUrlTest, PasswordWithoutUser) {
  const RedisUrl url = redis_ok("redis://:s3cret@cache:6379/2");
  EXPECT_EQ(url.username, "");
  EXPECT_EQ(url.password, "s3cret");
  EXPECT_EQ(url.db, 2);
  EXPECT_EQ(url.redacted, "redis://:***@cache:6379/2");
}

TEST(RedisUrlTest, UserAndPasswordArePercentDecoded) {
  const RedisUrl url = redis_ok("redis://app%40x:p%40ss%3Aw%2Fd@cache");
  EXPECT_EQ(url.username, "app@x");
  EXPECT_EQ(url.password, "p@ss:w/d");
  EXPECT_EQ(url.redacted, "redis://app%40x:***@cache");
}

TEST(RedisUrlTest, RedissSetsTls) {
  const RedisUrl url = redis_ok("rediss://cache.example.com:6380/1");
  EXPECT_TRUE(url.tls);
  EXPECT_EQ(url.port, 6380);
}

TEST(RedisUrlTest, Ipv6HostLosesBrackets) { EXPECT_EQ(redis_ok("redis://[::1]:6379/0").host, "::1"); }

TEST(RedisUrlTest, EmptyHostDefaultsToLoopback) { EXPECT_EQ(redis_ok("redis:///3").host, "127.0.0.1"); }

TEST(RedisUrlTest, RejectsDatabaseOutsideZeroToFifteen) {
  EXPECT_NE(redis_error("redis://h/16").find("the database must be a number 0..15"), std::string::npos);
  EXPECT_NE(redis_error("redis://h/x").find("the database must be a number 0..15"), std::string::npos);
  EXPECT_NE(redis_error("redis://h/1/2").find("the database must be a number 0..15"), std::string::npos);
}

TEST(RedisUrlTest, RejectsPortOutOfRange) {
  EXPECT_NE(redis_error("redis://h:70000").find("the port must be 1..65535"), std::string::npos);
}

TEST(RedisUrlTest, RejectsOtherSchemes) {
  EXPECT_EQ(redis_error("http://h:6379"), std::string(kRedisExpected) + ", got 'http://h:6379' (unsupported scheme 'http')");
  EXPECT_NE(redis_error("unix:///run/redis.sock").find("unsupported scheme 'unix'"), std::string::npos);
  EXPECT_NE(redis_error("localhost:6379").find(kRedisExpected), std::string::npos);
}

TEST(RedisUrlTest, SentinelAndClusterAreNotSupportedYet) {
  EXPECT_NE(redis_error("redis+sentinel://h:26379/mymaster").find("not supported yet"), std::string::npos);
  EXPECT_NE(redis_error("redis+cluster://h:7000").find("not supported yet"), std::string::npos);
}

TEST(RedisUrlTest, RejectsUserWithoutPassword) {
  const std::string error = redis_error("redis://hunter2@h");
  EXPECT_NE(error.find("needs ':password'"), std::string::npos);
  EXPECT_EQ(error.find("hunter2"), std::string::npos) << "a lone user info may be a password: " << error;
}

TEST(RedisUrlTest, RejectsQueryParameters) {
  EXPECT_NE(redis_error("redis://h/0?ssl_cert_reqs=none").find("query parameters are not supported"),
            std::string::npos);
}

TEST(RedisUrlTest, ErrorsHideThePassword) {
  EXPECT_EQ(redis_error("redis://:hunter2@h/99").find("hunter2"), std::string::npos);
  EXPECT_EQ(redis_error("redis://u:hun ter2@h").find("hun ter2"), std::string::npos);
  EXPECT_EQ(redis_error("http://:hunter2@h").find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace fruitpak::config
