#include "domain/email.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fruitpak::domain {
namespace {

TEST(EmailTest, PlainAddressIsUnchanged) {
  EXPECT_EQ(normalize_email("grower@example.com"), "grower@example.com");
  EXPECT_EQ(normalize_email("a@b.co"), "a@b.co");
}

TEST(EmailTest, DomainIsLowercasedAndLocalPartKeptAsTyped) {
  EXPECT_EQ(normalize_email("Jan.Smit+Intake@PackHouse.CO.ZA"), "Jan.Smit+Intake@packhouse.co.za");
}

TEST(EmailTest, SurroundingWhitespaceIsStripped) {
  EXPECT_EQ(normalize_email("  admin@example.com\n"), "admin@example.com");
}

TEST(EmailTest, DotAtomSpecialCharactersAreAllowedInTheLocalPart) {
  EXPECT_TRUE(normalize_email("o'brien@example.com"));
  EXPECT_TRUE(normalize_email("a!#$%&'*+-/=?^_`{|}~z@example.com"));
  EXPECT_TRUE(normalize_email("first.middle.last@example.com"));
}

TEST(EmailTest, DomainsWithDigitsHyphensAndPunycodeAreValid) {
  EXPECT_TRUE(normalize_email("a@mail-1.example.com"));
  EXPECT_TRUE(normalize_email("a@123.example.com"));
  EXPECT_TRUE(normalize_email("a@xn--bcher-kva.ch"));
}

TEST(EmailTest, AtSignMustAppearExactlyOnce) {
  EXPECT_FALSE(normalize_email(""));
  EXPECT_FALSE(normalize_email("   "));
  EXPECT_FALSE(normalize_email("plainaddress"));
  EXPECT_FALSE(normalize_email("a@@example.com"));
  EXPECT_FALSE(normalize_email("a@b@example.com"));
  EXPECT_FALSE(normalize_email("@example.com"));
  EXPECT_FALSE(normalize_email("a@"));
}

TEST(EmailTest, LocalPartDotsMustSeparateAtoms) {
  EXPECT_FALSE(normalize_email(".a@example.com"));
  EXPECT_FALSE(normalize_email("a.@example.com"));
  EXPECT_FALSE(normalize_email("a..b@example.com"));
}

TEST(EmailTest, LocalPartRefusesCharactersOutsideTheDotAtomSet) {
  EXPECT_FALSE(normalize_email("a b@example.com"));
  EXPECT_FALSE(normalize_email("\"quoted\"@example.com"));
  EXPECT_FALSE(normalize_email("a,b@example.com"));
  EXPECT_FALSE(normalize_email("a(b)@example.com"));
  EXPECT_FALSE(normalize_email("j\xC3\xB6rg@example.com"));  // non-ASCII: refused here
}

TEST(EmailTest, DomainNeedsADotAndWellFormedLabels) {
  EXPECT_FALSE(normalize_email("a@localhostish"));
  EXPECT_FALSE(normalize_email("a@.example.com"));
  EXPECT_FALSE(normalize_email("a@example.com."));
  EXPECT_FALSE(normalize_email("a@example..com"));
  EXPECT_FALSE(normalize_email("a@-example.com"));
  EXPECT_FALSE(normalize_email("a@example-.com"));
  EXPECT_FALSE(normalize_email("a@exa_mple.com"));
  EXPECT_FALSE(normalize_email("a@[192.168.0.1]"));
  EXPECT_FALSE(normalize_email("a@ab--cd.com"));  // reserved for IDNA
}

TEST(EmailTest, TopLevelDomainMustEndInALetter) {
  EXPECT_FALSE(normalize_email("a@192.168.0.1"));
  EXPECT_FALSE(normalize_email("a@example.123"));
  EXPECT_FALSE(normalize_email("a@example.c0m1"));
}

TEST(EmailTest, SpecialUseDomainsAreRefused) {
  EXPECT_FALSE(normalize_email("a@packhouse.test"));
  EXPECT_FALSE(normalize_email("a@printer.local"));
  EXPECT_FALSE(normalize_email("a@x.localhost"));
  EXPECT_FALSE(normalize_email("a@foo.INVALID"));
  EXPECT_FALSE(normalize_email("a@site.onion"));
  EXPECT_TRUE(normalize_email("a@contest.com"));
  EXPECT_TRUE(normalize_email("a@example.testing"));
}

TEST(EmailTest, LengthLimits) {
  const std::string local64(64, 'l');
  EXPECT_TRUE(normalize_email(local64 + "@example.com"));
  EXPECT_FALSE(normalize_email(local64 + "l@example.com"));

  const std::string label63(63, 'd');
  EXPECT_TRUE(normalize_email("a@" + label63 + ".com"));
  EXPECT_FALSE(normalize_email("a@" + label63 + "d.com"));

  // 64 + 1 + (63 + 1 + 63 + 1 + 57 + 4) = 254
  const std::string domain =
      std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(57, 'c') + ".com";
  ASSERT_EQ((local64 + "@" + domain).size(), 254u);
  EXPECT_TRUE(normalize_email(local64 + "@" + domain));
  EXPECT_FALSE(normalize_email(local64 + "@c" + domain));
}

}  // namespace
}  // namespace fruitpak::domain
