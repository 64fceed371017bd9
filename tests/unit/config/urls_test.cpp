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

constexpr const char* kClusterExpected =
    "expected redis+cluster://[[user]:password@]host[:port][,host[:port]...] or redis://host:port,host:port...";

TEST(RedisClusterUrlTest, SeedsWithPortsAndDefaults) {
  const RedisUrl url = redis_ok("redis+cluster://10.0.0.1:7000,node2,[::1]:7002");
  ASSERT_EQ(url.cluster_nodes.size(), 3u);
  EXPECT_EQ(url.cluster_nodes[0].host, "10.0.0.1");
  EXPECT_EQ(url.cluster_nodes[0].port, 7000);
  EXPECT_EQ(url.cluster_nodes[1].host, "node2");
  EXPECT_EQ(url.cluster_nodes[1].port, 6379);  // the Redis default, not the sentinel's
  EXPECT_EQ(url.cluster_nodes[2].host, "::1");
  EXPECT_EQ(url.cluster_nodes[2].port, 7002);
  EXPECT_TRUE(url.sentinels.empty());
  EXPECT_EQ(url.db, 0);
  EXPECT_EQ(url.host, "10.0.0.1");  // the first seed, for log lines
  EXPECT_EQ(url.port, 7000);
  EXPECT_EQ(url.redacted, "redis+cluster://10.0.0.1:7000,node2,[::1]:7002");
  EXPECT_EQ(redis_ok("redis+cluster://h:7000/").cluster_nodes.size(), 1u);
  EXPECT_EQ(redis_ok("redis+cluster://h:7000/0").db, 0);
}

TEST(RedisClusterUrlTest, CommaSeparatedRedisUrlsAreACluster) {
  const RedisUrl hosts = redis_ok("redis://:s3cret@h1:7000,h2:7001,h3:7002");
  ASSERT_EQ(hosts.cluster_nodes.size(), 3u);
  EXPECT_EQ(hosts.cluster_nodes[2].host, "h3");
  EXPECT_EQ(hosts.cluster_nodes[2].port, 7002);
  EXPECT_EQ(hosts.password, "s3cret");
  EXPECT_EQ(hosts.redacted, "redis://:***@h1:7000,h2:7001,h3:7002");

  const RedisUrl urls = redis_ok("redis://h1:7000,redis://h2:7001");
  ASSERT_EQ(urls.cluster_nodes.size(), 2u);
  EXPECT_EQ(urls.cluster_nodes[1].host, "h2");
  EXPECT_EQ(urls.cluster_nodes[1].port, 7001);

  // A comma in the password is no host list.
  const RedisUrl single = redis_ok("redis://:pa,ss@h1:7000/2");
  EXPECT_TRUE(single.cluster_nodes.empty());
  EXPECT_EQ(single.password, "pa,ss");
  EXPECT_EQ(single.db, 2);
}

TEST(RedisClusterUrlTest, RejectsDatabasesTlsAndBadHosts) {
  EXPECT_EQ(redis_error("redis+cluster://h:7000/3"),
            std::string(kClusterExpected) + ", got 'redis+cluster://h:7000/3' (a cluster has only database 0)");
  EXPECT_NE(redis_error("redis://h1,h2/1").find("a cluster has only database 0"), std::string::npos);
  EXPECT_NE(redis_error("rediss://h1,h2").find("TLS (rediss://) is not supported with Redis Cluster"), std::string::npos);
  EXPECT_NE(redis_error("redis+cluster://").find("no host"), std::string::npos);
  EXPECT_NE(redis_error("redis+cluster://h1,,h2").find("a host is empty"), std::string::npos);
  EXPECT_NE(redis_error("redis+cluster://h1:99999").find("the port must be 1..65535"), std::string::npos);
  EXPECT_NE(redis_error("redis+cluster://h1?x=1").find("query parameters are not supported"), std::string::npos);
  EXPECT_EQ(redis_error("redis+cluster://:hunter2@h1,h2/5").find("hunter2"), std::string::npos);
}

constexpr const char* kSentinelExpected =
    "expected redis+sentinel://[[user]:password@]host[:port][,host[:port]...]/mastername[/db]";

TEST(RedisSentinelUrlTest, SeveralSentinelsMasterAndDb) {
  const RedisUrl url = redis_ok("redis+sentinel://s1:26380,s2,10.0.0.3:5000/mymaster/3");
  ASSERT_EQ(url.sentinels.size(), 3u);
  EXPECT_EQ(url.sentinels[0].host, "s1");
  EXPECT_EQ(url.sentinels[0].port, 26380);
  EXPECT_EQ(url.sentinels[1].host, "s2");
  EXPECT_EQ(url.sentinels[1].port, 26379);  // the sentinel default, not 6379
  EXPECT_EQ(url.sentinels[2].host, "10.0.0.3");
  EXPECT_EQ(url.sentinels[2].port, 5000);
  EXPECT_EQ(url.sentinel_master, "mymaster");
  EXPECT_EQ(url.db, 3);
  EXPECT_FALSE(url.tls);
  EXPECT_EQ(url.password, "");
  EXPECT_EQ(url.redacted, "redis+sentinel://s1:26380,s2,10.0.0.3:5000/mymaster/3");
}

TEST(RedisSentinelUrlTest, OneSentinelDefaultsToDbZero) {
  const RedisUrl url = redis_ok("Redis+Sentinel://127.0.0.1/mymaster");
  ASSERT_EQ(url.sentinels.size(), 1u);
  EXPECT_EQ(url.sentinels[0].host, "127.0.0.1");
  EXPECT_EQ(url.sentinels[0].port, 26379);
  EXPECT_EQ(url.sentinel_master, "mymaster");
  EXPECT_EQ(url.db, 0);
  EXPECT_EQ(redis_ok("redis+sentinel://h/mymaster/").db, 0);
}

TEST(RedisSentinelUrlTest, Ipv6InBrackets) {
  const RedisUrl url = redis_ok("redis+sentinel://[::1]:26379,[fe80::2],h:1/m");
  ASSERT_EQ(url.sentinels.size(), 3u);
  EXPECT_EQ(url.sentinels[0].host, "::1");
  EXPECT_EQ(url.sentinels[0].port, 26379);
  EXPECT_EQ(url.sentinels[1].host, "fe80::2");
  EXPECT_EQ(url.sentinels[1].port, 26379);
  EXPECT_EQ(url.sentinels[2].port, 1);
  EXPECT_NE(redis_error("redis+sentinel://[::1/m").find("lacks its ']'"), std::string::npos);
  EXPECT_NE(redis_error("redis+sentinel://[::1]x/m").find("unexpected text after ']'"), std::string::npos);
}

TEST(RedisSentinelUrlTest, PasswordIsDecodedAndRedacted) {
  const RedisUrl url = redis_ok("redis+sentinel://:p%40ss%3Aw%2Fd@s1,s2:26380/mymaster/1");
  EXPECT_EQ(url.username, "");
  EXPECT_EQ(url.password, "p@ss:w/d");
  EXPECT_EQ(url.sentinels.size(), 2u);
  EXPECT_EQ(url.redacted, "redis+sentinel://:***@s1,s2:26380/mymaster/1");

  const RedisUrl with_user = redis_ok("redis+sentinel://app:secret@s1/mymaster");
  EXPECT_EQ(with_user.username, "app");
  EXPECT_EQ(with_user.password, "secret");
  EXPECT_EQ(with_user.redacted, "redis+sentinel://app:***@s1/mymaster");
  EXPECT_EQ(with_user.redacted.find("secret"), std::string::npos);
}

TEST(RedisSentinelUrlTest, MissingMasterName) {
  EXPECT_EQ(redis_error("redis+sentinel://h:26379"),
            std::string(kSentinelExpected) + ", got 'redis+sentinel://h:26379' (missing the master name after the hosts)");
  EXPECT_NE(redis_error("redis+sentinel://h:26379/").find("missing the master name"), std::string::npos);
  EXPECT_NE(redis_error("redis+sentinel://h//2").find("missing the master name"), std::string::npos);
}

TEST(RedisSentinelUrlTest, RejectsBadHostsPortsDbAndQuery) {
  EXPECT_NE(redis_error("redis+sentinel:///m").find("no host"), std::string::npos);
  EXPECT_NE(redis_error("redis+sentinel://h1,,h2/m").find("a host is empty"), std::string::npos);
  EXPECT_NE(redis_error("redis+sentinel://h1,/m").find("a host is empty"), std::string::npos);
  EXPECT_NE(redis_error("redis+sentinel://h:0/m").find("the port must be 1..65535"), std::string::npos);
  EXPECT_NE(redis_error("redis+sentinel://h:70000/m").find("the port must be 1..65535"), std::string::npos);
  EXPECT_NE(redis_error("redis+sentinel://h:/m").find("the port must be 1..65535"), std::string::npos);
  EXPECT_NE(redis_error("redis+sentinel://h/m/16").find("the database must be a number 0..15"), std::string::npos);
  EXPECT_NE(redis_error("redis+sentinel://h/m/x").find("the database must be a number 0..15"), std::string::npos);
  EXPECT_NE(redis_error("redis+sentinel://h/m/1/2").find("the database must be a number 0..15"), std::string::npos);
  EXPECT_NE(redis_error("redis+sentinel://h/m?x=1").find("query parameters are not supported"), std::string::npos);
}

TEST(RedisSentinelUrlTest, ErrorsHideThePassword) {
  EXPECT_EQ(redis_error("redis+sentinel://:hunter2@h").find("hunter2"), std::string::npos);
  EXPECT_EQ(redis_error("redis+sentinel://u:hunter2@h:99999/m").find("hunter2"), std::string::npos);
  const std::string lone = redis_error("redis+sentinel://hunter2@h/m");
  EXPECT_NE(lone.find("needs ':password'"), std::string::npos);
  EXPECT_EQ(lone.find("hunter2"), std::string::npos);
  EXPECT_EQ(redis_error("redis+sentinel://:hun%zzter2@h/m").find("hun%zzter2"), std::string::npos);
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
