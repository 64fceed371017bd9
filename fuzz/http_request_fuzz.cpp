// libFuzzer target: the whole request path of the server. Each input is the raw bytes a
// client sends on one connection (one request, several pipelined, or garbage): they go
// over loopback to the real server (app::ServerApp, the composition root `fruitpak serve`
// uses: Beast's parser with the server's body and header limits, the router, the guard,
// the handlers with their JSON body decoding, the services, SQLite), and the target reads
// the answers until the server closes the connection.
//
// Built once per process (static initialisation on the first input): an SQLite database
// in a temporary directory, migrated, with one onboarded tenant whose administrator holds
// a valid access token; L1 response cache only (no Redis); rate limits out of the way.
// Every "@TOKEN@" in an input is replaced by that token, so the committed corpus stays
// valid (tokens expire) and the fuzzer reaches the handlers past authentication.
//
// Properties checked (a failure aborts, which libFuzzer reports as a crash with the input):
//  - no answer has a 5xx status (malformed input is the client's fault: 4xx);
//  - every answer is a well-formed HTTP/1.1 response with a Content-Length (or no body);
//  - the server answers and closes within 10 s of the client's end of input;
//  - and, through the sanitizers, no memory error or undefined behaviour anywhere.
//
// FRUITPAK_FUZZ_WRITE_SEEDS=<dir>: writes the seed corpus (fuzz/corpus/http) into <dir>
// before the first input: one request per write route (POST/PUT/PATCH) with a body built
// from the route's documented JSON Schema, plus a few reads, from the router itself.
// FRUITPAK_FUZZ_VERBOSE=1 prints each answer's status line.

#include "app/server_app.hpp"
#include "config/config.hpp"
#include "db/database.hpp"
#include "util/run_sync.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace bj = boost::json;
using namespace fruitpak;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "http_request_fuzz: %s\n", what.c_str());
  std::abort();
}

// One connection: sends `bytes`, half-closes, returns everything the server sent until it
// closed. nullopt if it did not finish within the timeout.
std::optional<std::string> round_trip(std::uint16_t port, std::string_view bytes) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) fail("socket() failed");
  struct Close {
    int fd;
    ~Close() { ::close(fd); }
  } closer{fd};
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) fail("connect() to the server failed");
  // The server may answer (413, 431, 400) and close before reading everything: a failed
  // send is then expected, and the answer is still read below.
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string answer;
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n == 0) return answer;
    if (n < 0) {
      if (errno == ECONNRESET) return answer;  // closed with our unread bytes pending
      return std::nullopt;                      // EAGAIN: the timeout
    }
    answer.append(buffer, static_cast<std::size_t>(n));
  }
}

// Walks the responses in `answer`; aborts on a 5xx or a malformed response.
void check_answer(const std::string& answer, std::string_view input) {
  std::size_t at = 0;
  while (at < answer.size()) {
    const auto head_end = answer.find("\r\n\r\n", at);
    if (head_end == std::string::npos) fail("truncated response head: " + answer.substr(at, 200));
    const std::string_view head(answer.data() + at, head_end - at);
    if (head.size() < 12 || (head.substr(0, 9) != "HTTP/1.1 " && head.substr(0, 9) != "HTTP/1.0 ")) {
      fail("not an HTTP response: " + std::string(head.substr(0, 200)));
    }
    const int status = std::atoi(std::string(head.substr(9, 3)).c_str());
    if (std::getenv("FRUITPAK_FUZZ_VERBOSE")) std::fprintf(stderr, "%.*s\n", static_cast<int>(head.find('\r')), head.data());
    if (status >= 500 || status < 100) {
      fail("status " + std::to_string(status) + " for input:\n" + std::string(input.substr(0, 2000)) +
           "\n--- answer:\n" + answer.substr(at, 2000));
    }
    std::size_t length = 0;
    bool has_length = false;
    for (std::size_t line = head.find("\r\n"); line != std::string_view::npos;) {
      const auto next = head.find("\r\n", line + 2);
      const auto field = head.substr(line + 2, (next == std::string_view::npos ? head.size() : next) - line - 2);
      constexpr std::string_view kLength = "content-length:";
      if (field.size() > kLength.size()) {
        std::string name(field.substr(0, kLength.size()));
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (name == kLength) {
          length = std::strtoull(std::string(field.substr(kLength.size())).c_str(), nullptr, 10);
          has_length = true;
        }
      }
      line = next;
    }
    const bool bodiless = status / 100 == 1 || status == 204 || status == 304;
    if (!has_length && !bodiless) fail("response without Content-Length: " + std::string(head));
    at = head_end + 4 + (bodiless ? 0 : length);
    if (at > answer.size()) fail("response body shorter than its Content-Length: " + std::string(head));
  }
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// --- seeds: a minimal valid instance of a route's JSON Schema -------------------------

bj::value example_of(const bj::value& schema, const http::Router& router, int depth);

bj::value example_of_type(std::string_view type, const bj::object& s, const http::Router& router, int depth) {
  if (type == "object") {
    bj::object out;
    if (const auto* props = s.if_contains("properties")) {
      for (const auto& [name, sub] : props->as_object()) out[name] = example_of(sub, router, depth + 1);
    }
    return out;
  }
  if (type == "array") {
    bj::array out;
    if (const auto* items = s.if_contains("items")) out.push_back(example_of(*items, router, depth + 1));
    return out;
  }
  if (type == "integer") {
    if (const auto* min = s.if_contains("minimum")) return bj::value_to<std::int64_t>(*min) + 1;
    return 1;
  }
  if (type == "number") {
    if (const auto* min = s.if_contains("minimum")) return bj::value_to<double>(*min) + 1.5;
    return 12.5;
  }
  if (type == "boolean") return true;
  if (type == "null") return nullptr;
  // strings
  if (const auto* format = s.if_contains("format")) {
    if (format->is_string() && format->as_string() == "date") return "2026-01-15";
    if (format->is_string() && format->as_string() == "date-time") return "2026-01-15T08:30:00Z";
  }
  std::string text = "Fuzz 1";
  if (const auto* min = s.if_contains("minLength")) text.resize(std::max<std::size_t>(text.size(), bj::value_to<std::size_t>(*min)), 'x');
  if (const auto* max = s.if_contains("maxLength")) text.resize(std::min<std::size_t>(text.size(), bj::value_to<std::size_t>(*max)));
  return bj::value(text);
}

bj::value example_of(const bj::value& schema, const http::Router& router, int depth) {
  if (depth > 8 || !schema.is_object()) return nullptr;
  const auto& s = schema.as_object();
  if (const auto* ref = s.if_contains("$ref")) {
    const std::string_view target = ref->as_string();
    const auto name = std::string(target.substr(target.rfind('/') + 1));
    const auto found = router.schemas().find(name);
    return found == router.schemas().end() ? bj::value(nullptr) : example_of(found->second, router, depth + 1);
  }
  if (const auto* values = s.if_contains("enum"); values && !values->as_array().empty()) return values->as_array().front();
  if (const auto* any = s.if_contains("anyOf")) return example_of(any->as_array().front(), router, depth + 1);
  if (const auto* one = s.if_contains("oneOf")) return example_of(one->as_array().front(), router, depth + 1);
  if (const auto* type = s.if_contains("type")) {
    if (type->is_string()) return example_of_type(type->as_string(), s, router, depth);
    if (type->is_array() && !type->as_array().empty()) return example_of_type(type->as_array().front().as_string(), s, router, depth);
  }
  if (s.contains("properties")) return example_of_type("object", s, router, depth);
  return "any";
}

bj::value schema_of(const http::SchemaDoc& doc) {
  if (!doc.component.empty()) return bj::object{{"$ref", "#/components/schemas/" + doc.component}};
  return doc.inline_schema;
}

std::string request_text(std::string_view method, const std::string& target, const std::string& body, bool idempotent) {
  std::string text = std::string(method) + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  text += "Authorization: Bearer @TOKEN@\r\n";
  if (idempotent) text += "Idempotency-Key: fuzz-key-1\r\n";
  if (!body.empty()) text += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  text += "\r\n" + body;
  return text;
}

void write_seeds(const http::Router& router, const std::string& dir) {
  std::filesystem::create_directories(dir);
  int count = 0;
  const auto put = [&](const std::string& text) {
    char name[32];
    std::snprintf(name, sizeof name, "seed_%03d", count++);
    std::ofstream(dir + "/" + name, std::ios::binary) << text;
  };
  for (const auto* route : router.routes()) {
    const auto method = route->method;
    if (method != http::Method::post && method != http::Method::put && method != http::Method::patch) continue;
    // Path parameters: a well-formed id that does not exist (the body is decoded first).
    std::string target;
    for (std::size_t i = 0; i < route->path_template.size(); ++i) {
      if (route->path_template[i] == '{') {
        target += "00000000-0000-4000-8000-000000000001";
        i = route->path_template.find('}', i);
      } else {
        target += route->path_template[i];
      }
    }
    const auto schema = schema_of(route->info.body);
    const std::string body = schema.is_null() ? std::string() : bj::serialize(example_of(schema, router, 0));
    put(request_text(boost::beast::http::to_string(method), target, body, route->info.idempotent));
  }
  // A few reads and transport-level cases.
  put(request_text("GET", "/api/growers/?limit=5&offset=0&search=a%20b", "", false));
  put(request_text("GET", "/api/batches/?status=received&limit=2", "", false));
  put(request_text("GET", "/health", "", false));
  put("OPTIONS /api/growers/ HTTP/1.1\r\nHost: x\r\nOrigin: http://localhost:3000\r\n"
      "Access-Control-Request-Method: POST\r\n\r\n");
  put("POST /api/growers/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer @TOKEN@\r\n"
      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
      "7\r\n{\"name\"\r\n9\r\n:\"Chunk\"}\r\n0\r\n\r\n");
  put(request_text("GET", "/api/growers/", "", false) + request_text("GET", "/api/packhouses/", "", false));
  std::fprintf(stderr, "http_request_fuzz: wrote %d seeds to %s\n", count, dir.c_str());
}

// --- the server ----------------------------------------------------------------------

struct Fixture {
  std::string dir;
  std::unique_ptr<app::ServerApp> app;
  std::string token;
  std::uint16_t port = 0;

  Fixture() {
    spdlog::set_level(spdlog::level::err);  // no access log; errors (e.g. caught exceptions) still show
    char pattern[] = "/tmp/fruitpak-fuzz-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) fail("mkdtemp failed");
    dir = pattern;
    config::Sources sources;
    sources.flags = {{"DATABASE_URL", "sqlite://" + dir + "/fuzz.db"},
                     {"HOST", "127.0.0.1"},
                     {"THREADS", "1"},
                     {"LOG_LEVEL", "error"},
                     {"BCRYPT_COST", "4"},
                     {"SECRET_KEY", "fuzz-secret-key-0123456789abcdef-0123456789"},
                     {"ACCESS_TOKEN_EXPIRE_MINUTES", "1440"},
                     {"RATE_LIMIT_USER_PER_MINUTE", "1000000000"},
                     {"RATE_LIMIT_ANONYMOUS_PER_MINUTE", "1000000000"},
                     {"RATE_LIMIT_LOGIN_PER_MINUTE", "1000000"},
                     {"RATE_LIMIT_REGISTER_PER_5_MINUTES", "1000000"},
                     {"LOGIN_FAILURES_PER_ACCOUNT", "1000000"},
                     {"DB_ACQUIRE_TIMEOUT_MS", "30000"},
                     {"CACHE_ENABLED", "1"},
                     {"RECONCILIATION_SCHEDULE", "0"}};
    auto loaded = config::load(sources);
    if (auto* problems = std::get_if<std::vector<std::string>>(&loaded)) fail("config: " + problems->front());
    auto config = std::get<config::Config>(loaded);
    config.port = 0;
    app = std::make_unique<app::ServerApp>(config);
    app->start(false);
    port = app->port();

    // An administrator of an onboarded enterprise, through the API itself.
    auto registered = call("POST", "/api/auth/register",
                           R"({"email":"fuzz@example.com","password":"fuzz-password-1","full_name":"Fuzz Admin"})", "");
    std::string access = registered.at("access_token").as_string().c_str();
    auto enterprise = call("POST", "/api/enterprises/", R"({"name":"Fuzz Packhouse","country":"ZA"})", access);
    const std::string enterprise_id = enterprise.at("id").as_string().c_str();
    db::Params id{enterprise_id};
    auto onboarded =
        util::run_sync(app->database().execute("UPDATE enterprises SET is_onboarded = TRUE WHERE id = $1", id));
    if (!onboarded) fail("onboarding: " + onboarded.error().detail);
    token = tenant_token(access);
    // Something for the reads to list, and a known grower for inputs that use its id.
    call("POST", "/api/growers/", R"({"name":"Fuzz Grower","grower_code":"FZ1"})", token);

    if (const char* seeds = std::getenv("FRUITPAK_FUZZ_WRITE_SEEDS")) write_seeds(app->router(), seeds);
  }

  // A set-up request; aborts unless it answers 2xx. Returns the JSON body (an object).
  bj::object call(std::string_view method, std::string_view target, const std::string& body,
                  const std::string& bearer) const {
    std::string text = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: x\r\n";
    if (!bearer.empty()) text += "Authorization: Bearer " + bearer + "\r\n";
    text += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    auto answer = round_trip(port, text);
    if (!answer || answer->size() < 12) fail("set-up request got no answer: " + text);
    const auto status = std::atoi(answer->substr(9, 3).c_str());
    if (status / 100 != 2) fail("set-up request failed: " + text + "\n" + *answer);
    return bj::parse(answer->substr(answer->find("\r\n\r\n") + 4)).as_object();
  }

  // A token scoped to the enterprise, from a user token of its administrator.
  std::string tenant_token(const std::string& user_token) const {
    auto reissued = call("POST", "/api/enterprises/reissue-token", "", user_token);
    return reissued.at("access_token").as_string().c_str();
  }

  // Inputs may end the token's session (POST /api/auth/logout is a write route like any
  // other): then log in again, so that later inputs still get past authentication.
  void renew_if_revoked() {
    auto answer = round_trip(port, "GET /api/growers/?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                                       "\r\nConnection: close\r\n\r\n");
    if (answer && answer->size() >= 12 && answer->substr(9, 3) != "401") return;
    auto login = call("POST", "/api/auth/login", R"({"email":"fuzz@example.com","password":"fuzz-password-1"})", "");
    token = tenant_token(login.at("access_token").as_string().c_str());
  }

  ~Fixture() {
    app.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fixture;
  const std::string input = replace_all(std::string(reinterpret_cast<const char*>(data), size), "@TOKEN@", fixture.token);
  auto answer = round_trip(fixture.port, input);
  if (!answer) fail("no answer within 10 s for input:\n" + input.substr(0, 2000));
  check_answer(*answer, input);
  if (answer->find(" 401 ") != std::string::npos || input.find("logout") != std::string::npos) fixture.renew_if_revoked();
  return 0;
}
