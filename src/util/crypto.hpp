#pragma once
// Byte-level cryptographic helpers over OpenSSL 3: base64url, HMAC-SHA256, SHA-256,
// constant-time comparison and CSPRNG output. All functions are thread-safe.
//
// "Bytes" are carried in std::string / std::string_view; they may contain NUL.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fruitpak::util {

// RFC 4648 section 5 (URL-safe alphabet '-' '_'), without '=' padding, as JWTs use it.
std::string base64url_encode(std::string_view bytes);

// Inverse of base64url_encode. Accepts input with or without correct '=' padding.
// Returns nullopt for characters outside the URL-safe alphabet (including '+', '/',
// whitespace), misplaced or excess padding, a length that no encoding can have
// (4k+1 characters), and non-canonical input whose unused trailing bits are not zero
// (so that each byte string has exactly one accepted spelling).
std::optional<std::string> base64url_decode(std::string_view text);

// HMAC-SHA256(key, data) as 32 raw bytes. Any key length is allowed, including empty.
std::string hmac_sha256(std::string_view key, std::string_view data);

// SHA-256 of `data` as 64 lowercase hex characters.
std::string sha256_hex(std::string_view data);

// Lowercase hex MD5: not for security, only where a format asks for it (cache keys).
std::string md5_hex(std::string_view data);

// True if a and b hold the same bytes. The content comparison takes time that depends
// only on the length (CRYPTO_memcmp); a length mismatch returns false, and the length
// of a secret is not treated as secret.
bool constant_time_equal(std::string_view a, std::string_view b);

// n bytes from the OpenSSL CSPRNG. Throws std::runtime_error if the generator fails:
// we cannot issue tokens or salts without randomness, so this is an invariant break,
// not an expected outcome.
std::string random_bytes(std::size_t n);

// `bytes` random bytes as 2 * bytes lowercase hex characters. Throws as random_bytes.
std::string random_hex(std::size_t bytes);

// A random RFC 9562 version 4 UUID: "xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx", lowercase,
// V in [89ab]. Throws as random_bytes.
std::string uuid4();

// `count` uniformly distributed decimal digits (for OTP codes); empty if count <= 0.
// Throws as random_bytes.
std::string random_digits(int count);

}  // namespace fruitpak::util
