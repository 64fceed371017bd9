#include "http/request_id.hpp"

#include <gtest/gtest.h>

namespace fruitpak::http {
namespace {

TEST(RequestIdTest, SaneClientIdIsKept) { EXPECT_EQ(request_id_for("abc-123_x.y"), "abc-123_x.y"); }

TEST(RequestIdTest, MissingOrUnsafeClientIdIsReplaced) {
  for (std::string_view bad : {std::string_view(""), std::string_view("a b"), std::string_view("x\r\ny"),
                               std::string_view("<script>")}) {
    auto id = request_id_for(bad);
    EXPECT_EQ(id.size(), 32u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  }
  EXPECT_EQ(request_id_for(std::string(129, 'a')).size(), 32u);
}

TEST(RequestIdTest, GeneratedIdsDiffer) { EXPECT_NE(request_id_for(""), request_id_for("")); }

}  // namespace
}  // namespace fruitpak::http
