#include "api/guard.hpp"

#include <gtest/gtest.h>

namespace fruitpak::api {
namespace {

cache::CachedResponsePtr entry() {
  auto e = std::make_shared<cache::CachedResponse>();
  e->body = std::string(4096, 'b');
  e->gzip_body = "gz-bytes";
  e->etag = "\"abc123\"";
  e->content_type = "application/json";
  return e;
}

http::Request request(std::vector<std::pair<std::string, std::string>> headers) {
  http::Request req;
  req.message.version(11);
  for (auto& [name, value] : headers) req.message.set(name, value);
  return req;
}

TEST(CachedReplyTest, HitSharesTheEntryBodyAndSetsCacheHeaders) {
  const auto cached = entry();
  const auto res = reply_from_cache(cached, cache::CacheOutcome::kHitL1, request({}));
  EXPECT_EQ(res.result(), http::Status::ok);
  EXPECT_TRUE(res.body().is_shared());
  EXPECT_EQ(res.body().view().data(), cached->body.data());  // no copy of the body
  EXPECT_EQ(res[boost::beast::http::field::content_length], "4096");
  EXPECT_EQ(res["X-Cache"], "HIT-L1");
  EXPECT_EQ(res[boost::beast::http::field::etag], "\"abc123\"");
  EXPECT_EQ(res[boost::beast::http::field::cache_control], "private, max-age=0, must-revalidate");
  EXPECT_EQ(res[boost::beast::http::field::vary], "Authorization, Accept-Encoding");
  EXPECT_EQ(res[boost::beast::http::field::content_encoding], "");
}

TEST(CachedReplyTest, GzipBodyOnlyForClientsThatAcceptIt) {
  const auto cached = entry();
  const auto res = reply_from_cache(cached, cache::CacheOutcome::kHitL2, request({{"Accept-Encoding", "br, gzip"}}));
  EXPECT_EQ(res.body().view().data(), cached->gzip_body.data());
  EXPECT_EQ(res[boost::beast::http::field::content_encoding], "gzip");
  EXPECT_EQ(res["X-Cache"], "HIT-L2");
}

TEST(CachedReplyTest, MatchingIfNoneMatchIsNotModifiedWithoutBody) {
  const auto res = reply_from_cache(entry(), cache::CacheOutcome::kHitL1, request({{"If-None-Match", "\"abc123\""}}));
  EXPECT_EQ(res.result(), http::Status::not_modified);
  EXPECT_TRUE(res.body().empty());
  EXPECT_EQ(res[boost::beast::http::field::etag], "\"abc123\"");
}

TEST(CachedReplyTest, StaleAnswerCarriesAWarning) {
  const auto res = reply_from_cache(entry(), cache::CacheOutcome::kStale, request({}));
  EXPECT_EQ(res["X-Cache"], "STALE");
  EXPECT_EQ(res[boost::beast::http::field::warning], "110 - \"Response is Stale\"");
}

}  // namespace
}  // namespace fruitpak::api
