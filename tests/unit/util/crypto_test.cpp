#include "util/crypto.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

namespace fruitpak::util {
namespace {

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0x0f]);
  }
  return out;
}

// RFC 4648 section 10 vectors; base64url without padding.
TEST(CryptoTest, Base64UrlEncodesRfc4648Vectors) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
  EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
}

TEST(CryptoTest, Base64UrlUsesDashAndUnderscore) {
  // Standard base64 of these bytes is "+/8=", "++++" and "////".
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(base64url_encode("\xfb\xef\xbe"), "----");
  EXPECT_EQ(base64url_encode("\xff\xff\xff"), "____");
  EXPECT_EQ(base64url_decode("-_8"), std::string("\xfb\xff"));
  EXPECT_EQ(base64url_decode("____"), std::string("\xff\xff\xff"));
}

TEST(CryptoTest, Base64UrlDecodesWithAndWithoutPadding) {
  EXPECT_EQ(base64url_decode(""), std::string());
  EXPECT_EQ(base64url_decode("Zg"), std::string("f"));
  EXPECT_EQ(base64url_decode("Zg=="), std::string("f"));
  EXPECT_EQ(base64url_decode("Zm8"), std::string("fo"));
  EXPECT_EQ(base64url_decode("Zm8="), std::string("fo"));
  EXPECT_EQ(base64url_decode("Zm9vYmFy"), std::string("foobar"));
}

TEST(CryptoTest, Base64UrlRoundTripsAllByteValues) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  for (std::size_t len = 0; len <= bytes.size(); len += 37) {
    const std::string piece = bytes.substr(0, len);
    EXPECT_EQ(base64url_decode(base64url_encode(piece)), piece) << len;
  }
}

TEST(CryptoTest, Base64UrlDecodeRejectsInvalidInput) {
  EXPECT_FALSE(base64url_decode("Z"));       // 4k+1 characters: no encoding has this length
  EXPECT_FALSE(base64url_decode("Zm9vY"));   // same
  EXPECT_FALSE(base64url_decode("+/8"));     // standard alphabet
  EXPECT_FALSE(base64url_decode("Zm9v!"));   // not base64 at all
  EXPECT_FALSE(base64url_decode("Zm 9v"));   // whitespace
  EXPECT_FALSE(base64url_decode("Zg="));     // padding that does not complete a quantum
  EXPECT_FALSE(base64url_decode("Zg==="));   // too much padding
  EXPECT_FALSE(base64url_decode("Zm8=="));   // padding beyond what is needed
  EXPECT_FALSE(base64url_decode("===="));
  EXPECT_FALSE(base64url_decode("Zm=9v"));   // padding in the middle
  EXPECT_FALSE(base64url_decode("Zh"));      // non-canonical: unused bits set ("Zg" is "f")
  EXPECT_FALSE(base64url_decode(std::string_view("Zm\0v", 4)));
}

// RFC 4231 section 4.2 and 4.3.
TEST(CryptoTest, HmacSha256MatchesRfc4231TestCases1And2) {
  EXPECT_EQ(hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, HmacSha256AcceptsEmptyKeyAndData) {
  // python3 -c "import hmac,hashlib; print(hmac.new(b'', b'', hashlib.sha256).hexdigest())"
  EXPECT_EQ(hex(hmac_sha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(CryptoTest, Sha256HexMatchesFips180Vectors) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(CryptoTest, ConstantTimeEqualComparesBytes) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("secret", "secret"));
  EXPECT_FALSE(constant_time_equal("secret", "secreT"));
  EXPECT_FALSE(constant_time_equal("secret", "secret!"));
  EXPECT_FALSE(constant_time_equal("secret", ""));
  EXPECT_FALSE(constant_time_equal("a", std::string_view("a\0", 2)));
}

TEST(CryptoTest, RandomBytesHaveTheRequestedLength) {
  EXPECT_EQ(random_bytes(0).size(), 0u);
  EXPECT_EQ(random_bytes(33).size(), 33u);
  EXPECT_NE(random_bytes(32), random_bytes(32));
}

TEST(CryptoTest, RandomHexIsLowercaseHex) {
  const std::string h = random_hex(16);
  ASSERT_EQ(h.size(), 32u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(CryptoTest, Uuid4HasVersionAndVariantBits) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string id = uuid4();
    ASSERT_EQ(id.size(), 36u);
    for (std::size_t pos : {8u, 13u, 18u, 23u}) EXPECT_EQ(id[pos], '-') << id;
    std::string digits = id;
    std::erase(digits, '-');
    EXPECT_EQ(digits.size(), 32u);
    EXPECT_EQ(digits.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_NE(std::string_view("89ab").find(id[19]), std::string_view::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(CryptoTest, RandomDigitsHaveLengthAndCharset) {
  EXPECT_EQ(random_digits(0), "");
  EXPECT_EQ(random_digits(-3), "");
  for (int i = 0; i < 50; ++i) {
    const std::string code = random_digits(6);
    ASSERT_EQ(code.size(), 6u);
    EXPECT_EQ(code.find_first_not_of("0123456789"), std::string::npos) << code;
  }
  // Every digit shows up in a long draw (fails with probability about 10 * 0.9^1000).
  const std::string many = random_digits(1000);
  ASSERT_EQ(many.size(), 1000u);
  for (char d = '0'; d <= '9'; ++d) EXPECT_NE(many.find(d), std::string::npos) << d;
}

}  // namespace
}  // namespace fruitpak::util
