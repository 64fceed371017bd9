#include "config/config.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace fruitpak::config {
namespace {

using Pairs = std::map<std::string, std::string>;

Pairs parse_ok(const std::string& text) {
  auto parsed = parse_dotenv(text);
  if (const auto* error = std::get_if<std::string>(&parsed)) {
    ADD_FAILURE() << "unexpected error: " << *error;
    return {};
  }
  return std::get<Pairs>(parsed);
}

std::string parse_error(const std::string& text) {
  auto parsed = parse_dotenv(text);
  if (std::holds_alternative<Pairs>(parsed)) {
    ADD_FAILURE() << "expected an error for: " << text;
    return {};
  }
  return std::get<std::string>(parsed);
}

TEST(DotenvTest, ParsesKeyValueLines) {
  EXPECT_EQ(parse_ok("A=1\nB=two\n"), (Pairs{{"A", "1"}, {"B", "two"}}));
}

TEST(DotenvTest, EmptyTextHasNoPairs) { EXPECT_TRUE(parse_ok("").empty()); }

TEST(DotenvTest, IgnoresBlankLinesAndComments) {
  EXPECT_EQ(parse_ok("\n   \n# a comment\n  # indented comment\nA=1\n\n"), (Pairs{{"A", "1"}}));
}

TEST(DotenvTest, AcceptsExportPrefix) {
  EXPECT_EQ(parse_ok("export A=1\nexport\tB=2\n"), (Pairs{{"A", "1"}, {"B", "2"}}));
}

TEST(DotenvTest, KeyNamedExportIsAnOrdinaryKey) { EXPECT_EQ(parse_ok("export=1"), (Pairs{{"export", "1"}})); }

TEST(DotenvTest, TrimsWhitespaceAroundKeyAndEquals) {
  EXPECT_EQ(parse_ok("  A  =   value with spaces   \n"), (Pairs{{"A", "value with spaces"}}));
}

TEST(DotenvTest, EmptyValueIsAllowed) { EXPECT_EQ(parse_ok("A=\nB=''\nC=\"\""), (Pairs{{"A", ""}, {"B", ""}, {"C", ""}})); }

TEST(DotenvTest, SingleQuotedValuesAreLiteral) {
  EXPECT_EQ(parse_ok(R"(A='  a\nb #not a comment "x" ')"), (Pairs{{"A", R"(  a\nb #not a comment "x" )"}}));
}

TEST(DotenvTest, DoubleQuotedValuesSupportEscapes) {
  EXPECT_EQ(parse_ok(R"(A="line1\nline2 \"q\" back\\slash # kept")"),
            (Pairs{{"A", "line1\nline2 \"q\" back\\slash # kept"}}));
}

TEST(DotenvTest, UnknownEscapeInDoubleQuotesIsKeptAsWritten) {
  EXPECT_EQ(parse_ok(R"(A="a\qb")"), (Pairs{{"A", R"(a\qb)"}}));
}

TEST(DotenvTest, CommentAfterClosingQuoteIsIgnored) {
  EXPECT_EQ(parse_ok("A='x' # note\nB=\"y\"   # note"), (Pairs{{"A", "x"}, {"B", "y"}}));
}

TEST(DotenvTest, UnquotedValueLosesTrailingComment) {
  EXPECT_EQ(parse_ok("A=value # a comment\nB=value\t# tab comment"), (Pairs{{"A", "value"}, {"B", "value"}}));
}

TEST(DotenvTest, HashWithoutPrecedingSpaceIsPartOfTheValue) {
  EXPECT_EQ(parse_ok("A=abc#def\nB=#start"), (Pairs{{"A", "abc#def"}, {"B", "#start"}}));
}

TEST(DotenvTest, CommentRightAfterEqualsLeavesAnEmptyValue) { EXPECT_EQ(parse_ok("A= # nothing"), (Pairs{{"A", ""}})); }

TEST(DotenvTest, ValueMayContainEqualsSigns) {
  EXPECT_EQ(parse_ok("URL=postgresql://h/db?a=1&b=2"), (Pairs{{"URL", "postgresql://h/db?a=1&b=2"}}));
}

TEST(DotenvTest, LaterLineWins) { EXPECT_EQ(parse_ok("A=1\nA=2"), (Pairs{{"A", "2"}})); }

TEST(DotenvTest, AcceptsCrlfLineEndingsAndByteOrderMark) {
  EXPECT_EQ(parse_ok("\xEF\xBB\xBF" "A=1\r\nB='x'\r\n"), (Pairs{{"A", "1"}, {"B", "x"}}));
}

TEST(DotenvTest, LineWithoutEqualsIsAnErrorNamingTheLine) {
  EXPECT_EQ(parse_error("A=1\n\nJUSTAWORD\n"), ".env line 3: expected KEY=VALUE");
}

TEST(DotenvTest, InvalidKeyIsAnErrorNamingTheLine) {
  EXPECT_EQ(parse_error("MY-KEY=1"),
            ".env line 1: invalid variable name; expected letters, digits and '_', not starting with a digit");
}

TEST(DotenvTest, KeyStartingWithDigitIsAnError) { EXPECT_EQ(parse_error("A=1\n1A=2").rfind(".env line 2: ", 0), 0U); }

TEST(DotenvTest, EmptyKeyIsAnError) { EXPECT_EQ(parse_error("=value").rfind(".env line 1: invalid variable name", 0), 0U); }

TEST(DotenvTest, UnterminatedQuotesAreErrors) {
  EXPECT_EQ(parse_error("A='abc"), ".env line 1: unterminated single-quoted value");
  EXPECT_EQ(parse_error("A=\"abc\\\""), ".env line 1: unterminated double-quoted value");
}

TEST(DotenvTest, TextAfterClosingQuoteIsAnError) {
  EXPECT_EQ(parse_error("A='abc' def"), ".env line 1: unexpected text after the closing quote");
}

TEST(DotenvTest, ErrorsDoNotRepeatTheLineWhichMayHoldASecret) {
  EXPECT_EQ(parse_error("postgresql://u:hunter2@h/db").find("hunter2"), std::string::npos);
  EXPECT_EQ(parse_error("SECRET_KEY='hunter2").find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace fruitpak::config
