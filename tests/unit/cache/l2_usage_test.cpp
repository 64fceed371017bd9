// info_field: reading one number out of a Redis INFO reply (sections, CRLF lines, comments).

#include "cache/l2_usage.hpp"

#include <gtest/gtest.h>

namespace fruitpak::cache {
namespace {

// Shaped like Redis 7's reply to INFO memory stats (abridged).
constexpr std::string_view kInfo =
    "# Memory\r\n"
    "used_memory:1083432\r\n"
    "used_memory_human:1.03M\r\n"
    "maxmemory:0\r\n"
    "maxmemory_policy:noeviction\r\n"
    "\r\n"
    "# Stats\r\n"
    "expired_keys:17\r\n"
    "evicted_keys:3\r\n"
    "evicted_clients:0\r\n";

TEST(InfoField, ReadsNumbersByExactName) {
  EXPECT_EQ(info_field(kInfo, "used_memory"), 1083432u);  // not used_memory_human
  EXPECT_EQ(info_field(kInfo, "maxmemory"), 0u);
  EXPECT_EQ(info_field(kInfo, "evicted_keys"), 3u);
  EXPECT_EQ(info_field(kInfo, "expired_keys"), 17u);
}

TEST(InfoField, AbsentOrNotANumberIsNullopt) {
  EXPECT_EQ(info_field(kInfo, "evicted"), std::nullopt);           // a prefix of a name only
  EXPECT_EQ(info_field(kInfo, "used_memory_human"), std::nullopt);  // "1.03M"
  EXPECT_EQ(info_field(kInfo, "maxmemory_policy"), std::nullopt);
  EXPECT_EQ(info_field(kInfo, "Memory"), std::nullopt);             // a section header
  EXPECT_EQ(info_field("", "used_memory"), std::nullopt);
  EXPECT_EQ(info_field("used_memory:12", "used_memory"), 12u);      // last line without CRLF
  EXPECT_EQ(info_field("used_memory:\r\n", "used_memory"), std::nullopt);
}

}  // namespace
}  // namespace fruitpak::cache
