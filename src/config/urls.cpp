// DATABASE_URL and REDIS_URL parsing. Boost.URL does the RFC 3986 work for the
// PostgreSQL and Redis forms; the SQLite form is handled as text because SQLAlchemy's
// `sqlite://:memory:` is not a valid URI and SQLite paths are taken literally.

#include "config/config.hpp"

#include <boost/url.hpp>

#include <charconv>
#include <optional>
#include <string_view>

namespace fruitpak::config {
namespace {

constexpr std::string_view kDatabaseExpected =
    "expected sqlite:///path or postgresql://user:pass@host:port/db";
constexpr std::string_view kRedisExpected = "expected redis://[[user]:password@]host[:port][/db]";

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

// The scheme as written before the first ':', lowercased ("" when there is none).
std::string scheme_of(std::string_view url) {
  const auto colon = url.find(':');
  return colon == std::string_view::npos ? std::string{} : lower(url.substr(0, colon));
}

// Replaces the value of every `password=`/`sslpassword=` query parameter in raw text.
std::string redact_query_passwords(std::string text) {
  for (std::string_view key : {"password=", "sslpassword="}) {
    std::size_t pos = 0;
    while ((pos = text.find(key, pos)) != std::string::npos) {
      const bool at_param_start = pos > 0 && (text[pos - 1] == '?' || text[pos - 1] == '&');
      pos += key.size();
      if (!at_param_start) continue;
      const auto end = text.find_first_of("&#", pos);
      text.replace(pos, (end == std::string::npos ? text.size() : end) - pos, "***");
    }
  }
  return text;
}

// Hides the password of a URL that may not even parse, for error messages. Errs towards
// hiding too much: everything between the first ':' after the scheme and the last '@', or
// the whole user info when it has no ':' (in `redis://secret@host` it may be a password).
std::string redact_text(std::string_view url) {
  const auto scheme_end = url.find("://");
  const auto start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const auto at = url.rfind('@');
  if (at == std::string_view::npos || at < start) return redact_query_passwords(std::string(url));
  const auto colon = url.find(':', start);
  const auto keep = colon != std::string_view::npos && colon < at ? colon + 1 : start;
  return redact_query_passwords(std::string(url.substr(0, keep)) + "***" + std::string(url.substr(at)));
}

// The `redacted` form of a URL that parsed: password and password query parameters
// replaced by "***", everything else as written.
std::string redact_parsed(boost::urls::url_view view) {
  boost::urls::url url(view);
  if (!url.encoded_password().empty()) url.set_encoded_password("***");
  auto params = url.params();
  for (auto it = params.begin(); it != params.end(); ++it) {
    const auto param = *it;
    if (param.has_value && (param.key == "password" || param.key == "sslpassword")) {
      it = params.set(it, "***");
    }
  }
  return std::string(url.buffer());
}

std::string database_error(std::string_view url, std::string_view reason) {
  return std::string(kDatabaseExpected) + ", got '" + redact_text(url) + "' (" + std::string(reason) + ")";
}

std::string redis_error(std::string_view url, std::string_view reason) {
  return std::string(kRedisExpected) + ", got '" + redact_text(url) + "' (" + std::string(reason) + ")";
}

// Parses a decimal port 1..65535; an overflowing port must not wrap the way
// url_view::port_number() does.
std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 1 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

// `sqlite:///abs/path` -> "/abs/path", `sqlite:///./rel` -> "./rel", `sqlite:////abs`
// (SQLAlchemy's absolute form) -> "/abs", `sqlite:///:memory:` and `sqlite://:memory:` ->
// ":memory:". The path is not percent-decoded: it reaches sqlite3_open_v2 as written.
std::variant<DatabaseUrl, std::string> parse_sqlite(std::string_view url) {
  const auto slashes = url.find("://");
  if (slashes == std::string_view::npos) return database_error(url, "missing '//' after 'sqlite:'");
  std::string_view rest = url.substr(slashes + 3);
  if (rest == ":memory:" || rest == "/:memory:") {
    return DatabaseUrl{DatabaseEngine::kSqlite, ":memory:", "", std::string(url)};
  }
  if (rest.empty()) return database_error(url, "the path names no file");
  if (rest.front() != '/') {
    return database_error(url, "a sqlite URL has no host; write sqlite:///path");
  }
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return database_error(url, "a sqlite URL takes no query or fragment");
  }
  if (rest.starts_with("//") || rest.starts_with("/./") || rest.starts_with("/../")) {
    rest.remove_prefix(1);
  }
  if (rest == "/" || rest.ends_with('/')) return database_error(url, "the path names no file");
  return DatabaseUrl{DatabaseEngine::kSqlite, std::string(rest), "", std::string(url)};
}

bool is_postgres_scheme(std::string_view scheme) {
  return scheme == "postgresql" || scheme == "postgres" || scheme == "postgresql+asyncpg" ||
         scheme == "postgresql+psycopg2";
}

// The URI is handed to libpq with only the scheme rewritten: libpq decodes percent-encoded
// credentials itself, so decoding here would break passwords containing '@', ':' or '/'.
std::variant<DatabaseUrl, std::string> parse_postgres(std::string_view text) {
  const auto parsed = boost::urls::parse_uri(text);
  if (!parsed) {
    return database_error(text, "malformed URL; percent-encode special characters in the user name and password");
  }
  if (parsed->has_port() && !parsed->port().empty() && !parse_port(parsed->port())) {
    return database_error(text, "the port must be 1..65535");
  }
  if (parsed->has_fragment()) return database_error(text, "a '#' fragment is not allowed");
  boost::urls::url libpq_url(*parsed);
  libpq_url.set_scheme("postgresql");
  return DatabaseUrl{DatabaseEngine::kPostgres, "", std::string(libpq_url.buffer()), redact_parsed(*parsed)};
}

// Redis databases are numbered 0..15 in the default configuration.
std::optional<int> parse_redis_db(std::string_view path) {
  if (path.empty() || path == "/") return 0;
  path.remove_prefix(1);
  int value = -1;
  const auto [end, ec] = std::from_chars(path.data(), path.data() + path.size(), value);
  if (ec != std::errc{} || end != path.data() + path.size() || value < 0 || value > 15) {
    return std::nullopt;
  }
  return value;
}

std::variant<RedisUrl, std::string> redis_from_uri(std::string_view text, boost::urls::url_view uri) {
  if (uri.has_query() || uri.has_fragment()) return redis_error(text, "query parameters are not supported");
  if (uri.has_userinfo() && !uri.has_password()) {
    return redis_error(text, "the user info needs ':password'; write redis://:password@host for a password alone");
  }
  if (uri.host_type() == boost::urls::host_type::ipvfuture) return redis_error(text, "unsupported host");
  RedisUrl redis;
  redis.tls = scheme_of(text) == "rediss";
  if (!uri.host_address().empty()) redis.host = uri.host_address();
  if (uri.has_port() && !uri.port().empty()) {
    const auto port = parse_port(uri.port());
    if (!port) return redis_error(text, "the port must be 1..65535");
    redis.port = *port;
  }
  const auto db = parse_redis_db(uri.encoded_path());
  if (!db) return redis_error(text, "the database must be a number 0..15");
  redis.db = *db;
  redis.username = uri.user();
  redis.password = uri.password();
  redis.redacted = redact_parsed(uri);
  return redis;
}

constexpr std::string_view kSentinelExpected =
    "expected redis+sentinel://[[user]:password@]host[:port][,host[:port]...]/mastername[/db]";

std::string sentinel_error(std::string_view url, std::string_view reason) {
  return std::string(kSentinelExpected) + ", got '" + redact_text(url) + "' (" + std::string(reason) + ")";
}

// Percent-decodes user info or a master name; nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text) {
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hex(text[i + 1]);
    const int low = hex(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

// One `host[:port]` or `[v6]:port` of a host list.
std::variant<RedisEndpoint, std::string> parse_endpoint(std::string_view item, std::uint16_t default_port) {
  RedisEndpoint endpoint;
  endpoint.port = default_port;
  std::string_view port_text;
  if (item.starts_with('[')) {
    const auto close = item.find(']');
    if (close == std::string_view::npos) return std::string("an IPv6 address lacks its ']'");
    endpoint.host = std::string(item.substr(1, close - 1));
    const auto rest = item.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::string("unexpected text after ']'");
      port_text = rest.substr(1);
      if (port_text.empty()) return std::string("the port must be 1..65535");
    }
  } else {
    const auto colon = item.find(':');
    endpoint.host = std::string(item.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = item.substr(colon + 1);
      if (port_text.empty()) return std::string("the port must be 1..65535");
    }
  }
  if (endpoint.host.empty()) return std::string("a host is empty");
  if (endpoint.host.find_first_of("/?#@%[] ") != std::string::npos) return std::string("unsupported host");
  if (!port_text.empty()) {
    const auto port = parse_port(port_text);
    if (!port) return std::string("the port must be 1..65535");
    endpoint.port = *port;
  }
  return endpoint;
}

// A URL whose authority is a list of hosts, `scheme://[[user]:password@]h1[:p1][,h2[:p2]...][/path]`:
// the credentials (in `redis`, with `redis.redacted`), the hosts and the path after the
// hosts' '/'. Parsed by hand: a list of hosts is no RFC 3986 authority. A problem is a reason
// for the caller's message.
struct HostListUrl {
  RedisUrl redis;
  std::vector<RedisEndpoint> hosts;
  std::string_view path;  // without its leading '/'
};

std::variant<HostListUrl, std::string> parse_host_list(std::string_view text, std::uint16_t default_port) {
  const auto slashes = text.find("://");
  if (slashes == std::string_view::npos) return std::string("missing '//' after the scheme");
  std::string_view rest = text.substr(slashes + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) return std::string("query parameters are not supported");
  const auto path_start = rest.find('/');
  std::string_view authority = rest.substr(0, path_start);
  HostListUrl out;
  if (path_start != std::string_view::npos) out.path = rest.substr(path_start + 1);

  std::string redacted_userinfo;
  std::string_view after_userinfo = rest;
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    after_userinfo = rest.substr(at + 1);
    const std::string_view userinfo = authority.substr(0, at);
    authority.remove_prefix(at + 1);
    const auto colon = userinfo.find(':');
    if (colon == std::string_view::npos) {
      return "the user info needs ':password'; write " + std::string(text.substr(0, slashes)) +
             "://:password@host for a password alone";
    }
    auto user = percent_decode(userinfo.substr(0, colon));
    auto password = percent_decode(userinfo.substr(colon + 1));
    if (!user || !password) return std::string("malformed percent-encoding in the user info");
    out.redis.username = std::move(*user);
    out.redis.password = std::move(*password);
    redacted_userinfo = std::string(userinfo.substr(0, colon)) + (out.redis.password.empty() ? ":@" : ":***@");
  }
  if (authority.empty()) return std::string("no host");
  std::size_t start = 0;
  for (;;) {
    const auto comma = authority.find(',', start);
    auto endpoint = parse_endpoint(authority.substr(start, comma == std::string_view::npos ? comma : comma - start),
                                   default_port);
    if (auto* problem = std::get_if<std::string>(&endpoint)) return std::move(*problem);
    out.hosts.push_back(std::get<RedisEndpoint>(std::move(endpoint)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  // host/port are the first host's, so log lines that print host:port stay sensible.
  out.redis.host = out.hosts.front().host;
  out.redis.port = out.hosts.front().port;
  out.redis.redacted = std::string(text.substr(0, slashes + 3)) + redacted_userinfo + std::string(after_userinfo);
  return out;
}

// redis+sentinel://[[user]:password@]h1[:p1][,h2[:p2]...]/mastername[/db]. The credentials
// are those of the master (and of a sentinel that asks for them, see cache/sentinel.hpp).
std::variant<RedisUrl, std::string> parse_sentinel(std::string_view text) {
  auto parsed = parse_host_list(text, 26379);
  if (auto* problem = std::get_if<std::string>(&parsed)) return sentinel_error(text, *problem);
  auto& [redis, hosts, path] = std::get<HostListUrl>(parsed);
  redis.sentinels = std::move(hosts);
  const auto db_slash = path.find('/');
  auto master = percent_decode(path.substr(0, db_slash));
  if (!master || master->empty()) return sentinel_error(text, "missing the master name after the hosts");
  redis.sentinel_master = std::move(*master);
  if (db_slash != std::string_view::npos) {
    const auto db = parse_redis_db(path.substr(db_slash));
    if (!db) return sentinel_error(text, "the database must be a number 0..15");
    redis.db = *db;
  }
  return std::move(redis);
}

// A comma among the hosts (not in the password, where RFC 3986 allows one).
bool names_several_hosts(std::string_view text) {
  const auto slashes = text.find("://");
  if (slashes == std::string_view::npos) return false;
  std::string_view authority = text.substr(slashes + 3);
  authority = authority.substr(0, authority.find('/'));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  return authority.find(',') != std::string_view::npos;
}

constexpr std::string_view kClusterExpected =
    "expected redis+cluster://[[user]:password@]host[:port][,host[:port]...] or redis://host:port,host:port...";

std::string cluster_error(std::string_view url, std::string_view reason) {
  return std::string(kClusterExpected) + ", got '" + redact_text(url) + "' (" + std::string(reason) + ")";
}

// redis+cluster://[[user]:password@]h1[:p1][,h2[:p2]...][/0], and the comma-separated forms
// redis://h1:p1,h2:p2 and redis://h1:p1,redis://h2:p2: seed nodes, any of which tells the
// slot map. A cluster has only database 0.
std::variant<RedisUrl, std::string> parse_cluster(std::string_view text) {
  std::string normalised(text);
  if (scheme_of(text) == "rediss") return cluster_error(text, "TLS (rediss://) is not supported with Redis Cluster");
  for (std::size_t at; (at = normalised.find(",redis://")) != std::string::npos;) normalised.erase(at + 1, 8);
  auto parsed = parse_host_list(normalised, 6379);
  if (auto* problem = std::get_if<std::string>(&parsed)) return cluster_error(text, *problem);
  auto& [redis, hosts, path] = std::get<HostListUrl>(parsed);
  if (!path.empty() && path != "0") return cluster_error(text, "a cluster has only database 0");
  redis.cluster_nodes = std::move(hosts);
  return std::move(redis);
}

}  // namespace

std::variant<DatabaseUrl, std::string> parse_database_url(const std::string& url) {
  const std::string_view text = trim(url);
  const std::string scheme = scheme_of(text);
  if (scheme == "sqlite") return parse_sqlite(text);
  if (is_postgres_scheme(scheme)) return parse_postgres(text);
  if (scheme.empty()) return database_error(text, "missing scheme");
  return database_error(text, "unsupported scheme '" + scheme + "'");
}

std::variant<RedisUrl, std::string> parse_redis_url(const std::string& url) {
  const std::string_view text = trim(url);
  const std::string scheme = scheme_of(text);
  if (scheme == "redis+sentinel") return parse_sentinel(text);
  if (scheme == "redis+cluster") return parse_cluster(text);
  // A list of hosts in a redis:// URL (the form other clients' docs show) is a cluster.
  if ((scheme == "redis" || scheme == "rediss") && names_several_hosts(text)) {
    return parse_cluster(text);
  }
  if (scheme != "redis" && scheme != "rediss") {
    return redis_error(text, scheme.empty() ? "missing scheme" : "unsupported scheme '" + scheme + "'");
  }
  const auto parsed = boost::urls::parse_uri(text);
  if (!parsed) {
    return redis_error(text, "malformed URL; percent-encode special characters in the user name and password");
  }
  return redis_from_uri(text, *parsed);
}

}  // namespace fruitpak::config
