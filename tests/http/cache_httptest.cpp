// The response cache over HTTP on both engines (with the suite's Redis as L2 when present):
// hits answer without queries, writes invalidate, tenants never share bodies, ETag/304,
// gzip, and the read-during-write race cannot store a pre-write body for later readers.

#include "db/database.hpp"
#include "support/api_client.hpp"
#include "support/server_fixture.hpp"
#include "util/run_sync.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json/serialize.hpp>

#include <zlib.h>

#include <future>
#include <mutex>
#include <thread>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;
using boost::beast::http::verb;
using namespace std::chrono_literals;

std::string gunzip(const std::string& data) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) return {};
  std::string out(data.size() * 20 + 1024, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&stream, Z_FINISH);
  inflateEnd(&stream);
  if (rc != Z_STREAM_END) return {};
  out.resize(stream.total_out);
  return out;
}

// Holds the first call of the test route inside its loader, after it has read the
// database, until the test opens the gate.
struct LoaderGate {
  std::promise<void> reached;
  std::mutex mutex;
  net::steady_timer* timer = nullptr;
  bool used = false;

  void open() {
    std::lock_guard lock(mutex);
    if (timer) net::post(timer->get_executor(), [t = timer] { t->cancel(); });
  }
};

class CacheHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    // GET /api/test/grower-count: cached under the growers prefix, so a grower write
    // invalidates it; its first call waits at the gate after reading the count.
    extra_guarded_routes = [this](api::Guard& guard, http::Router& router) {
      guard.add(router,
                {.method = http::Method::get, .path = "/api/test/grower-count", .permissions = {"grower.read"},
                 .onboarded = true, .summary = "test: grower count, paused once",
                 .cache = cache::CachePolicy{300s, "growers", "grower_count", {domain::Change::kGrower}}},
                [this](http::Request&, const api::Caller& caller) -> net::awaitable<http::Response> {
                  db::Params params{caller.tenant().value()};
                  auto rows = co_await app().database().execute(
                      "SELECT COUNT(*) FROM growers WHERE enterprise_id = $1 AND is_deleted = FALSE", params);
                  const auto count = rows ? rows->front().int64(0) : -1;
                  bool pause = false;
                  {
                    std::lock_guard lock(gate_.mutex);
                    pause = !gate_.used;
                    gate_.used = true;
                  }
                  if (pause) {
                    net::steady_timer timer(co_await net::this_coro::executor, std::chrono::hours(1));
                    {
                      std::lock_guard lock(gate_.mutex);
                      gate_.timer = &timer;
                    }
                    gate_.reached.set_value();
                    co_await timer.async_wait(use_tuple);
                    std::lock_guard lock(gate_.mutex);
                    gate_.timer = nullptr;
                  }
                  http::Response res{http::Status::ok, 11};
                  res.set(http::beast_http::field::content_type, "application/json");
                  res.body() = "{\"count\":" + std::to_string(count) + "}";
                  co_return res;
                });
    };
    admin_ = start_with_admin("cache-admin@example.com", "Cache Co", Onboarding::kDone);
  }
  HttpResponse create_grower(HttpClient& c, const Account& who, const std::string& name) {
    return c.post("/api/growers/", json::serialize(json::object{{"name", name}}), who.auth());
  }
  LoaderGate gate_;
  Account admin_;
};

TEST_F(CacheHttpTest, SecondReadIsAnL1HitWithoutQueriesAndHonoursIfNoneMatch) {
  auto c = client();
  ASSERT_EQ(create_grower(c, admin_, "Olifants Boerdery").result_int(), 201);
  auto first = c.get("/api/growers/?limit=50", admin_.auth());
  ASSERT_EQ(first.result_int(), 200) << first.body();
  EXPECT_EQ(first["X-Cache"], "MISS");
  EXPECT_NE(first["X-Query-Count"], "0");
  const std::string etag(first[boost::beast::http::field::etag]);
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(first[boost::beast::http::field::cache_control], "private, max-age=0, must-revalidate");
  EXPECT_EQ(first[boost::beast::http::field::vary], "Authorization, Accept-Encoding");

  auto second = c.get("/api/growers/?limit=50", admin_.auth());
  ASSERT_EQ(second.result_int(), 200);
  EXPECT_EQ(second["X-Cache"], "HIT-L1");
  EXPECT_EQ(second["X-Query-Count"], "0");
  EXPECT_EQ(second.body(), first.body());
  EXPECT_EQ(second[boost::beast::http::field::etag], etag);

  auto conditional = c.get("/api/growers/?limit=50", {{"Authorization", admin_.auth().at("Authorization")},
                                                       {"If-None-Match", etag}});
  EXPECT_EQ(conditional.result_int(), 304);
  EXPECT_TRUE(conditional.body().empty());
  auto other_etag = c.get("/api/growers/?limit=50", {{"Authorization", admin_.auth().at("Authorization")},
                                                      {"If-None-Match", "\"something-else\""}});
  EXPECT_EQ(other_etag.result_int(), 200);

  // Other arguments are another key.
  EXPECT_EQ(c.get("/api/growers/?limit=49", admin_.auth())["X-Cache"], "MISS");
}

TEST_F(CacheHttpTest, WritesInvalidateAndTheNextReadShowsThem) {
  auto c = client();
  auto created = create_grower(c, admin_, "Before");
  ASSERT_EQ(created.result_int(), 201);
  const std::string id(json_object(created).at("id").as_string());
  ASSERT_EQ(c.get("/api/growers/", admin_.auth()).result_int(), 200);
  ASSERT_EQ(c.get("/api/growers/" + id, admin_.auth()).result_int(), 200);
  ASSERT_EQ(c.get("/api/growers/" + id, admin_.auth())["X-Cache"], "HIT-L1");

  auto patched = c.request(verb::patch, "/api/growers/" + id, R"({"name": "After"})", admin_.auth());
  ASSERT_EQ(patched.result_int(), 200) << patched.body();
  auto one = c.get("/api/growers/" + id, admin_.auth());
  EXPECT_EQ(one["X-Cache"], "MISS");
  EXPECT_EQ(json_object(one).at("name").as_string(), "After");
  auto list = c.get("/api/growers/", admin_.auth());
  EXPECT_EQ(list["X-Cache"], "MISS");
  EXPECT_EQ(json_object(list).at("items").as_array()[0].at("name").as_string(), "After");

  ASSERT_EQ(c.request(verb::delete_, "/api/growers/" + id, "", admin_.auth()).result_int() / 100, 2);
  EXPECT_EQ(json_object(c.get("/api/growers/", admin_.auth())).at("total").as_int64(), 0);
  EXPECT_EQ(c.get("/api/growers/" + id, admin_.auth()).result_int(), 404);
  // A refused write changes nothing, so it invalidates nothing.
  ASSERT_EQ(c.get("/api/growers/", admin_.auth())["X-Cache"], "HIT-L1");
  ASSERT_EQ(c.post("/api/growers/", R"({"name": ""})", admin_.auth()).result_int(), 422);
  EXPECT_EQ(c.get("/api/growers/", admin_.auth())["X-Cache"], "HIT-L1");
}

TEST_F(CacheHttpTest, TenantsNeverReceiveEachOthersBodiesForTheSameUrl) {
  auto c = client();
  Account other = register_account(c, "cache-other@example.com");
  create_enterprise(c, other, "Other Co");
  onboard(other.enterprise_id);
  ASSERT_EQ(create_grower(c, admin_, "Only in A").result_int(), 201);
  ASSERT_EQ(create_grower(c, other, "Only in B").result_int(), 201);
  for (int round = 0; round < 2; ++round) {  // the second round is served from the cache
    auto a = c.get("/api/growers/", admin_.auth());
    auto b = c.get("/api/growers/", other.auth());
    EXPECT_EQ(json_object(a).at("items").as_array()[0].at("name").as_string(), "Only in A");
    EXPECT_EQ(json_object(b).at("items").as_array()[0].at("name").as_string(), "Only in B");
    if (round == 1) {
      EXPECT_EQ(a["X-Cache"], "HIT-L1");
      EXPECT_EQ(b["X-Cache"], "HIT-L1");
    }
  }
}

TEST_F(CacheHttpTest, GzipBodyForClientsThatAcceptIt) {
  auto c = client();
  for (int i = 0; i < 30; ++i) ASSERT_EQ(create_grower(c, admin_, "Grower number " + std::to_string(i)).result_int(), 201);
  auto plain = c.get("/api/growers/", admin_.auth());
  ASSERT_EQ(plain.result_int(), 200);
  ASSERT_GT(plain.body().size(), 1024u);
  auto zipped = c.get("/api/growers/", {{"Authorization", admin_.auth().at("Authorization")},
                                         {"Accept-Encoding", "br, gzip"}});
  ASSERT_EQ(zipped.result_int(), 200);
  EXPECT_EQ(zipped[boost::beast::http::field::content_encoding], "gzip");
  EXPECT_LT(zipped.body().size(), plain.body().size());
  EXPECT_EQ(gunzip(zipped.body()), plain.body());
}

// A read that loaded before a write committed must not leave its body for later readers.
TEST_F(CacheHttpTest, ReadRacingAWriteNeverStoresThePreWriteBody) {
  auto c = client();
  auto reached = gate_.reached.get_future();
  std::string raced_body;
  std::thread reader([&] {
    HttpClient slow = client();
    raced_body = slow.get("/api/test/grower-count", admin_.auth()).body();
  });
  ASSERT_EQ(reached.wait_for(30s), std::future_status::ready);  // the loader has read count 0
  ASSERT_EQ(create_grower(c, admin_, "Written meanwhile").result_int(), 201);
  gate_.open();
  reader.join();
  EXPECT_EQ(raced_body, "{\"count\":0}");  // it answered what it read...
  auto after = c.get("/api/test/grower-count", admin_.auth());
  EXPECT_EQ(after.body(), "{\"count\":1}");  // ...but nobody is served that afterwards
  EXPECT_EQ(after["X-Cache"], "MISS");
  EXPECT_EQ(c.get("/api/test/grower-count", admin_.auth())["X-Cache"], "HIT-L1");
}

// Two instances on one database and one Redis: the second finds the first's entry in L2,
// and a write through the first reaches the second's L1 within a second (pub/sub).
TEST_F(CacheHttpTest, SecondInstanceHitsL2AndSeesWritesOfTheFirstWithinASecond) {
  ASSERT_TRUE(config_.redis) << "needs FRUITPAK_TEST_REDIS_URL; run the suite through scripts/test";
  app::ServerApp second(config_);
  second.start(false);
  auto a = client();
  HttpClient b(second.port());
  ASSERT_EQ(create_grower(a, admin_, "First").result_int(), 201);
  auto from_a = a.get("/api/growers/", admin_.auth());
  EXPECT_EQ(from_a["X-Cache"], "MISS");
  auto from_b = b.get("/api/growers/", admin_.auth());
  EXPECT_EQ(from_b["X-Cache"], "HIT-L2");
  EXPECT_EQ(from_b.body(), from_a.body());
  EXPECT_EQ(b.get("/api/growers/", admin_.auth())["X-Cache"], "HIT-L1");

  ASSERT_EQ(create_grower(a, admin_, "Second").result_int(), 201);
  const auto written = std::chrono::steady_clock::now();
  std::int64_t total = 1;
  while (total == 1 && std::chrono::steady_clock::now() - written < 1s) {
    total = json_object(b.get("/api/growers/", admin_.auth())).at("total").as_int64();
  }
  EXPECT_EQ(total, 2) << "the second instance still served the pre-write list a second after the write";
  second.stop();
}

// Redis stopped mid-test: every request still succeeds from the database; when it is back,
// entries reach L2 again (a second instance finds them there).
TEST_F(CacheHttpTest, RedisStoppedEveryRequestStillSucceedsAndTheCacheRecovers) {
  ASSERT_TRUE(config_.redis) << "needs FRUITPAK_TEST_REDIS_URL; run the suite through scripts/test";
  auto c = client();
  ASSERT_EQ(create_grower(c, admin_, "Kept").result_int(), 201);
  run_env_command("FRUITPAK_TEST_REDIS_STOP");
  for (int limit = 1; limit <= 30; ++limit) {
    auto res = c.get("/api/growers/?limit=" + std::to_string(limit), admin_.auth());
    ASSERT_EQ(res.result_int(), 200) << "limit " << limit << ": " << res.body();
  }
  EXPECT_EQ(c.get("/api/growers/?limit=30", admin_.auth())["X-Cache"], "HIT-L1");  // L1 still serves
  ASSERT_EQ(create_grower(c, admin_, "Written without Redis").result_int(), 201);
  EXPECT_EQ(json_object(c.get("/api/growers/?limit=30", admin_.auth())).at("total").as_int64(), 2);
  run_env_command("FRUITPAK_TEST_REDIS_START");

  app::ServerApp second(config_);
  second.start(false);
  HttpClient b(second.port());
  const auto back = std::chrono::steady_clock::now();
  bool recovered = false;
  // The circuit breaker waits out its open period before probing again.
  for (int offset = 100; !recovered && std::chrono::steady_clock::now() - back < 90s; ++offset) {
    const std::string url = "/api/growers/?limit=5&offset=" + std::to_string(offset);  // a new key each time
    ASSERT_EQ(c.get(url, admin_.auth()).result_int(), 200);
    auto res = b.get(url, admin_.auth());
    ASSERT_EQ(res.result_int(), 200);
    recovered = res["X-Cache"] == "HIT-L2";
  }
  EXPECT_TRUE(recovered) << "no entry reached L2 within 90 s of Redis returning";
  second.stop();
}

TEST_F(CacheHttpTest, StatsCountHitsAndMissesPerPrefixForAdministrators) {
  auto c = client();
  auto counters = [&] {
    auto res = c.get("/api/cache/stats", admin_.auth());
    EXPECT_EQ(res.result_int(), 200) << res.body();
    return json_object(res);
  };
  const auto before = counters().at("prefixes").at("packhouses").as_object();
  ASSERT_EQ(c.get("/api/packhouses/?limit=7", admin_.auth())["X-Cache"], "MISS");
  ASSERT_EQ(c.get("/api/packhouses/?limit=7", admin_.auth())["X-Cache"], "HIT-L1");
  const auto stats = counters();
  const auto after = stats.at("prefixes").at("packhouses").as_object();
  EXPECT_EQ(after.at("misses").to_number<std::int64_t>(), before.at("misses").to_number<std::int64_t>() + 1);
  EXPECT_EQ(after.at("l1_hits").to_number<std::int64_t>(), before.at("l1_hits").to_number<std::int64_t>() + 1);
  const auto latency_count = [](const json::object& prefix, const char* level) {
    return prefix.at("latency").at(level).at("count").to_number<std::int64_t>();
  };
  EXPECT_EQ(latency_count(after, "l1_hit"), latency_count(before, "l1_hit") + 1);
  EXPECT_EQ(latency_count(after, "load"), latency_count(before, "load") + 1);
  EXPECT_GT(after.at("latency").at("load").at("p50_ms").to_number<double>(), 0.0);
  EXPECT_TRUE(stats.at("enabled").as_bool());
  EXPECT_GT(stats.at("l1").at("entries").to_number<std::int64_t>(), 0);
  EXPECT_EQ(c.get("/api/cache/stats").result_int(), 401);
}

TEST_F(CacheHttpTest, WarmLoadsEveryCachedListOfOnboardedEnterprises) {
  auto c = client();
  ASSERT_EQ(create_grower(c, admin_, "Warm Farm").result_int(), 201);
  {
    std::lock_guard lock(gate_.mutex);
    gate_.used = true;  // the test route is warmable too: it must not pause
  }
  auto report = util::run_sync(app().warm_cache(nullptr));
  ASSERT_TRUE(report) << report.error().detail;
  EXPECT_GE(report->enterprises, 1u);
  EXPECT_EQ(report->responses, report->enterprises * app().guard().warmable_routes());
  EXPECT_GE(app().guard().warmable_routes(), 3u);  // growers, packhouses, batches at least
  for (const char* path : {"/api/growers/", "/api/packhouses/", "/api/batches/"}) {
    auto res = c.get(path, admin_.auth());
    ASSERT_EQ(res.result_int(), 200) << path << " " << res.body();
    EXPECT_EQ(res["X-Cache"], "HIT-L1") << path;
    EXPECT_EQ(res["X-Query-Count"], "0") << path;
  }
  EXPECT_NE(c.get("/api/growers/", admin_.auth()).body().find("Warm Farm"), std::string::npos);
}

}  // namespace
}  // namespace fruitpak::testing
