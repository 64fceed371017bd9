#include "util/etag.hpp"

#include <gtest/gtest.h>

namespace fruitpak::util {
namespace {

TEST(EtagTest, TagIsTheQuotedMd5OfTheBody) {
  // md5("") and md5("abc"), from RFC 1321's test suite.
  EXPECT_EQ(etag_of(""), "\"d41d8cd98f00b204e9800998ecf8427e\"");
  EXPECT_EQ(etag_of("abc"), "\"900150983cd24fb0d6963f7d28e17f72\"");
}

TEST(EtagTest, IfNoneMatchListsWeakTagsAndStar) {
  const std::string tag = "\"900150983cd24fb0d6963f7d28e17f72\"";
  EXPECT_TRUE(etag_matches(tag, tag));
  EXPECT_TRUE(etag_matches("\"other\", " + tag, tag));
  EXPECT_TRUE(etag_matches("W/" + tag, tag));
  EXPECT_TRUE(etag_matches("*", tag));
  EXPECT_FALSE(etag_matches("", tag));
  EXPECT_FALSE(etag_matches("\"other\"", tag));
  EXPECT_FALSE(etag_matches("900150983cd24fb0d6963f7d28e17f72", tag));  // unquoted
  EXPECT_FALSE(etag_matches("*", ""));  // nothing to match without a tag
}

}  // namespace
}  // namespace fruitpak::util
