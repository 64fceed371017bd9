#include "util/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <memory>
#include <climits>
#include <cstdint>
#include <stdexcept>

namespace fruitpak::util {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";

std::string to_hex(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHexDigits[c >> 4]);
    out.push_back(kHexDigits[c & 0x0f]);
  }
  return out;
}

// Value of a URL-safe base64 character, or -1.
int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// Strips valid trailing padding. Padding is only valid when it completes the text to a
// multiple of 4 with one or two '='.
std::optional<std::string_view> strip_padding(std::string_view text) {
  std::size_t pad = 0;
  while (pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  if (pad == 0) return text;
  if (pad > 2 || text.size() % 4 != 0) return std::nullopt;
  text.remove_suffix(pad);
  // "xx==" carries one byte and "xxx=" two; "x===" and "xx=" were rejected above.
  if (text.size() % 4 != 4 - pad) return std::nullopt;
  return text;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  if (bytes.empty()) return {};
  // EVP_EncodeBlock takes an int length; split larger input on 3-byte boundaries so the
  // pieces concatenate without inner padding.
  constexpr std::size_t kChunk = 3 * 1024 * 1024;
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t pos = 0; pos < bytes.size(); pos += kChunk) {
    std::string_view piece = bytes.substr(pos, kChunk);
    std::string block(4 * ((piece.size() + 2) / 3) + 1, '\0');
    int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(block.data()),
                                  reinterpret_cast<const unsigned char*>(piece.data()),
                                  static_cast<int>(piece.size()));
    block.resize(static_cast<std::size_t>(written));
    out += block;
  }
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  auto stripped = strip_padding(text);
  if (!stripped) return std::nullopt;
  std::string_view body = *stripped;
  if (body.size() % 4 == 1) return std::nullopt;

  std::string out;
  out.reserve(body.size() / 4 * 3 + 2);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : body) {
    int v = base64url_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // Leftover bits (2 or 4) must be zero in a canonical encoding.
  if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  // HMAC() rejects a null key pointer on some OpenSSL 3 builds even with length 0.
  static constexpr unsigned char kEmpty = 0;
  const void* key_ptr = key.empty() ? &kEmpty : static_cast<const void*>(key.data());
  const unsigned char* data_ptr =
      data.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(data.data());
  if (key.size() > static_cast<std::size_t>(INT_MAX)) {
    throw std::length_error("hmac_sha256: key too long");
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int md_len = 0;
  if (HMAC(EVP_sha256(), key_ptr, static_cast<int>(key.size()), data_ptr, data.size(),
           md.data(), &md_len) == nullptr) {
    throw std::runtime_error("hmac_sha256: OpenSSL HMAC failed");
  }
  return std::string(reinterpret_cast<const char*>(md.data()), md_len);
}

namespace {

// OpenSSL 3 looks EVP_sha256() and friends up in its provider tables (under a lock) on
// every digest; an algorithm fetched once skips that on the request path (the cache key's
// md5 runs per request). Freed at exit, before OpenSSL's own clean-up, which registered
// earlier and so runs later.
struct DigestFree {
  void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};
using FetchedDigest = std::unique_ptr<EVP_MD, DigestFree>;

std::string digest_hex(const EVP_MD* algorithm, std::string_view data, const char* what) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int md_len = 0;
  if (algorithm == nullptr || EVP_Digest(data.data(), data.size(), md.data(), &md_len, algorithm, nullptr) != 1) {
    throw std::runtime_error(std::string(what) + ": OpenSSL EVP_Digest failed");
  }
  return to_hex(std::string_view(reinterpret_cast<const char*>(md.data()), md_len));
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  static const FetchedDigest sha256(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  return digest_hex(sha256.get(), data, "sha256_hex");
}

std::string md5_hex(std::string_view data) {
  static const FetchedDigest md5(EVP_MD_fetch(nullptr, "MD5", nullptr));
  return digest_hex(md5.get(), data, "md5_hex");
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  std::size_t pos = 0;
  while (pos < n) {
    int chunk = static_cast<int>(std::min<std::size_t>(n - pos, INT_MAX));
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data() + pos), chunk) != 1) {
      throw std::runtime_error("random_bytes: OpenSSL RAND_bytes failed");
    }
    pos += static_cast<std::size_t>(chunk);
  }
  return out;
}

std::string random_hex(std::size_t bytes) { return to_hex(random_bytes(bytes)); }

std::string uuid4() {
  std::string b = random_bytes(16);
  b[6] = static_cast<char>((static_cast<unsigned char>(b[6]) & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<char>((static_cast<unsigned char>(b[8]) & 0x3f) | 0x80);  // variant 10
  std::string hex = to_hex(b);
  return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' +
         hex.substr(16, 4) + '-' + hex.substr(20, 12);
}

std::string random_digits(int count) {
  if (count <= 0) return {};
  const auto wanted = static_cast<std::size_t>(count);
  std::string out;
  out.reserve(wanted);
  while (out.size() < wanted) {
    // Bytes >= 250 are rejected so that each digit has probability exactly 25/250.
    // About 2% of bytes are rejected; a few spare bytes make one round almost always enough.
    std::string pool = random_bytes(wanted - out.size() + 8);
    for (unsigned char c : pool) {
      if (c >= 250) continue;
      out.push_back(static_cast<char>('0' + c % 10));
      if (out.size() == wanted) break;
    }
  }
  return out;
}

}  // namespace fruitpak::util
