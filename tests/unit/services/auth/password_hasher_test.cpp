#include "services/auth/password_hasher.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fruitpak::services::auth {
namespace {

// Cost 4 (the minimum) keeps these tests in milliseconds.
constexpr int kFastCost = 4;

TEST(PasswordHasherTest, HashVerifiesItsPassword) {
  const auto hash = hash_password("testpassword123", kFastCost);
  ASSERT_TRUE(hash) << hash.error().detail;
  EXPECT_TRUE(verify_password("testpassword123", *hash));
  EXPECT_FALSE(verify_password("testpassword124", *hash));
  EXPECT_FALSE(verify_password("", *hash));
}

TEST(PasswordHasherTest, HashIsBcrypt2bWithTheCost) {
  const auto hash = hash_password("pw", kFastCost);
  ASSERT_TRUE(hash) << hash.error().detail;
  EXPECT_TRUE(hash->starts_with("$2b$04$")) << *hash;
  EXPECT_EQ(hash->size(), 60u);
  const auto hash10 = hash_password("pw", 10);
  ASSERT_TRUE(hash10) << hash10.error().detail;
  EXPECT_TRUE(hash10->starts_with("$2b$10$")) << *hash10;
}

TEST(PasswordHasherTest, EachHashHasItsOwnSalt) {
  const auto a = hash_password("same password", kFastCost);
  const auto b = hash_password("same password", kFastCost);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(verify_password("same password", *a));
  EXPECT_TRUE(verify_password("same password", *b));
}

TEST(PasswordHasherTest, EmptyPasswordHashes) {
  const auto hash = hash_password("", kFastCost);
  ASSERT_TRUE(hash) << hash.error().detail;
  EXPECT_TRUE(verify_password("", *hash));
  EXPECT_FALSE(verify_password("x", *hash));
}

TEST(PasswordHasherTest, CostOutsideRangeIsInvalidInput) {
  for (int cost : {-1, 0, 3, 32, 100}) {
    const auto hash = hash_password("pw", cost);
    ASSERT_FALSE(hash) << cost;
    EXPECT_EQ(hash.error().code, Errc::kInvalidInput) << cost;
  }
}

TEST(PasswordHasherTest, PasswordWithNulIsInvalidInput) {
  const auto hash = hash_password(std::string_view("abc\0def", 7), kFastCost);
  ASSERT_FALSE(hash);
  EXPECT_EQ(hash.error().code, Errc::kInvalidInput);
}

// bcrypt keys on at most 72 bytes, and the original (bcrypt 4.x) cut longer passwords
// silently; we do the same so that existing hashes keep verifying.
TEST(PasswordHasherTest, OnlyTheFirst72BytesCount) {
  const std::string first72(72, 'p');
  const auto hash = hash_password(first72 + "A", kFastCost);
  ASSERT_TRUE(hash) << hash.error().detail;
  EXPECT_TRUE(verify_password(first72, *hash));
  EXPECT_TRUE(verify_password(first72 + "B", *hash));
  EXPECT_TRUE(verify_password(first72 + std::string(500, 'z'), *hash));
  EXPECT_FALSE(verify_password(first72.substr(0, 71), *hash));
  EXPECT_FALSE(verify_password(std::string(71, 'p') + "q", *hash));
}

TEST(PasswordHasherTest, MalformedHashesDoNotVerify) {
  const auto good = hash_password("pw", kFastCost);
  ASSERT_TRUE(good);
  const std::string& h = *good;
  for (const std::string& bad : {
           std::string(), std::string("pw"), std::string("$2b$"), std::string("$2b$04$"),
           h.substr(0, 59),                             // truncated
           h + "x",                                     // too long
           "$2x$" + h.substr(4),                        // prefix we do not accept
           "$2$" + h.substr(3),                         // likewise
           "$1$" + h.substr(3),                         // md5-crypt prefix
           "$6$" + h.substr(3),                         // sha512-crypt prefix
           "$2b$99$" + h.substr(7),                     // cost out of range
           "$2b$4$" + h.substr(7) + "x",                // cost without two digits
           h.substr(0, 29) + "!" + h.substr(30),        // not in the bcrypt alphabet
           h.substr(0, 20) + std::string(1, '\0') + h.substr(21),
           std::string(60, '$'),
           std::string(60, '\0'),
       }) {
    EXPECT_FALSE(verify_password("pw", bad)) << bad;
  }
}

TEST(PasswordHasherTest, PasswordWithNulDoesNotVerify) {
  const auto hash = hash_password("abc", kFastCost);
  ASSERT_TRUE(hash);
  EXPECT_FALSE(verify_password(std::string_view("abc\0def", 7), *hash));
}

// Fixtures made by other bcrypt implementations (Debian 12 packages), so that hashes
// stored by the original service keep verifying:
//   python3-bcrypt 3.2.2: python3 -c "import bcrypt; print(bcrypt.hashpw(PW, bcrypt.gensalt(...)).decode())"
//     kPython2b12:   PW = b'testpassword123', gensalt(rounds=12)
//     kPython2a04:   PW = b'testpassword123', gensalt(rounds=4, prefix=b'2a')
//     kPythonLong:   PW = b'x' * 72 + b'TAIL', gensalt(rounds=4)
//   apache2-utils 2.4 (APR's bcrypt):
//     kHtpasswd2y04: htpasswd -nbB -C 4 fruitpak 'testpassword123'
//     kHtpasswd2y05: htpasswd -nbB -C 5 fruitpak 'p@ss w0rd!'
constexpr std::string_view kPython2b12 =
    "$2b$12$5oQQuczrtTYuC8F.de1pN./MuFXxmHRoq.//DK2tC/ZDm/IOPoh0q";
constexpr std::string_view kPython2a04 =
    "$2a$04$SDIwoXTPGp1K77oUsB6Khu0ccYRWZR.y7qWjndodEVBGqHU1AAHQa";
constexpr std::string_view kPythonLong =
    "$2b$04$MDC6zhIvhJSPZBjd9mNBAuLIOJgYDp.jOXclPSUNJ/Q9TgKtJMhom";
constexpr std::string_view kHtpasswd2y04 =
    "$2y$04$CoD/CHSPd5KQY8zmQn19a.eyjcrqqgr.wXOT2p.fCeZVNAlVdvDku";
constexpr std::string_view kHtpasswd2y05 =
    "$2y$05$ZLBKGx5M2x/Ybx5IqaNnmOqBKHZniJ7IExIh6FA0kNdAWF/DY1fCe";

TEST(PasswordHasherTest, PythonBcrypt2bCost12HashVerifies) {
  EXPECT_TRUE(verify_password("testpassword123", kPython2b12));
  EXPECT_FALSE(verify_password("testpassword12", kPython2b12));
}

TEST(PasswordHasherTest, PythonBcrypt2aHashVerifies) {
  EXPECT_TRUE(verify_password("testpassword123", kPython2a04));
  EXPECT_FALSE(verify_password("Testpassword123", kPython2a04));
}

TEST(PasswordHasherTest, PythonBcryptLongPasswordTruncatesLikeUs) {
  const std::string first72(72, 'x');
  EXPECT_TRUE(verify_password(first72 + "TAIL", kPythonLong));
  EXPECT_TRUE(verify_password(first72, kPythonLong));
  EXPECT_FALSE(verify_password(std::string(71, 'x'), kPythonLong));
}

TEST(PasswordHasherTest, Htpasswd2yHashesVerify) {
  EXPECT_TRUE(verify_password("testpassword123", kHtpasswd2y04));
  EXPECT_FALSE(verify_password("wrong", kHtpasswd2y04));
  EXPECT_TRUE(verify_password("p@ss w0rd!", kHtpasswd2y05));
  EXPECT_FALSE(verify_password("p@ss w0rd", kHtpasswd2y05));
}

}  // namespace
}  // namespace fruitpak::services::auth
