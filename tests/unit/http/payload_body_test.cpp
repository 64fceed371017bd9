#include "http/message.hpp"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <gtest/gtest.h>

#include <sstream>

namespace fruitpak::http {
namespace {

// What the serializer puts on the wire for `res`.
std::string wire(Response& res) {
  std::ostringstream out;
  out << res;
  return out.str();
}

TEST(PayloadBodyTest, OwnTextIsSentWithItsLength) {
  Response res{Status::ok, 11};
  res.body() = std::string("{\"a\":1}");
  res.prepare_payload();
  EXPECT_FALSE(res.body().is_shared());
  const auto sent = wire(res);
  EXPECT_NE(sent.find("Content-Length: 7\r\n"), std::string::npos);
  EXPECT_TRUE(sent.ends_with("\r\n\r\n{\"a\":1}"));
}

TEST(PayloadBodyTest, SharedBytesAreHandedToTheSocketWithoutACopy) {
  auto owner = std::make_shared<const std::string>(std::string(100'000, 'x') + "end");
  Response res{Status::ok, 11};
  res.body().share(owner, *owner);
  res.prepare_payload();
  EXPECT_EQ(res.body().view().data(), owner->data());
  EXPECT_EQ(res[boost::beast::http::field::content_length], "100003");

  // The writer's buffer is the owner's memory, not a copy of it.
  PayloadBody::writer writer(res.base(), res.body());
  boost::beast::error_code ec;
  writer.init(ec);
  auto chunk = writer.get(ec);
  ASSERT_FALSE(ec);
  ASSERT_TRUE(chunk.has_value());
  EXPECT_EQ(chunk->first.data(), static_cast<const void*>(owner->data()));
  EXPECT_EQ(chunk->first.size(), owner->size());
  EXPECT_FALSE(chunk->second);
  EXPECT_TRUE(wire(res).ends_with("xxend"));
}

TEST(PayloadBodyTest, ResponseKeepsTheOwnerAlive) {
  std::weak_ptr<const std::string> watch;
  Response res{Status::ok, 11};
  {
    auto owner = std::make_shared<const std::string>("cached body");
    watch = owner;
    res.body().share(owner, *owner);
  }
  EXPECT_FALSE(watch.expired());
  EXPECT_EQ(res.body().view(), "cached body");
  res.body() = std::string("replaced");
  EXPECT_TRUE(watch.expired());
  EXPECT_EQ(res.body().view(), "replaced");
}

TEST(PayloadBodyTest, AppendingToASharedPayloadCopiesItFirst) {
  auto owner = std::make_shared<const std::string>("abc");
  Payload payload;
  payload.share(owner, *owner);
  payload.append("def");
  EXPECT_FALSE(payload.is_shared());
  EXPECT_EQ(payload.view(), "abcdef");
  EXPECT_EQ(*owner, "abc");
}

}  // namespace
}  // namespace fruitpak::http
