#include "services/auth/password_hasher.hpp"

#include "util/crypto.hpp"

#include <crypt.h>
#include <openssl/crypto.h>

#include <array>
#include <memory>

namespace fruitpak::services::auth {
namespace {

// bcrypt reads at most 72 key bytes; longer input is cut here so that every caller sees
// the same rule whatever the library does with the rest.
constexpr std::size_t kMaxPasswordBytes = 72;

// "$2b$12$" + 22 salt characters + 31 hash characters.
constexpr std::size_t kBcryptHashLength = 60;

// struct crypt_data is about 32 KiB, too large for a coroutine or pool thread stack. It
// holds key-derived state, so it is wiped before release.
struct CryptDataWipe {
  void operator()(crypt_data* data) const noexcept {
    OPENSSL_cleanse(data, sizeof *data);
    delete data;
  }
};
using CryptDataPtr = std::unique_ptr<crypt_data, CryptDataWipe>;

// The password as bcrypt sees it, wiped on destruction.
class Passphrase {
 public:
  explicit Passphrase(std::string_view password)
      : text_(password.substr(0, kMaxPasswordBytes)) {}
  Passphrase(const Passphrase&) = delete;
  Passphrase& operator=(const Passphrase&) = delete;
  ~Passphrase() { OPENSSL_cleanse(text_.data(), text_.size()); }

  const char* c_str() const { return text_.c_str(); }

 private:
  std::string text_;
};

bool has_nul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

bool has_supported_prefix(std::string_view hash) {
  return hash.starts_with("$2b$") || hash.starts_with("$2a$") || hash.starts_with("$2y$");
}

// Runs crypt_rn; returns the encoded hash, or an empty string on failure. libxcrypt
// reports failure with a null pointer from crypt_rn (it never returns the "*0" token).
std::string run_crypt(const Passphrase& phrase, const char* setting) {
  // `new T()` value-initializes, which zeroes the struct as crypt_rn requires.
  CryptDataPtr data{new crypt_data()};
  const char* out = crypt_rn(phrase.c_str(), setting, data.get(), sizeof *data);
  return out == nullptr ? std::string() : std::string(out);
}

}  // namespace

Result<std::string> hash_password(std::string_view password, int cost) {
  if (cost < 4 || cost > 31) {
    return make_error(Errc::kInvalidInput, "bcrypt cost must be in 4..31");
  }
  if (has_nul(password)) {
    return make_error(Errc::kInvalidInput, "password contains a NUL byte");
  }
  // A null rbytes makes libxcrypt draw the salt from the OS CSPRNG (getentropy).
  std::array<char, CRYPT_GENSALT_OUTPUT_SIZE> setting{};
  if (crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr, 0, setting.data(),
                       static_cast<int>(setting.size())) == nullptr) {
    return make_error(Errc::kInternal, "crypt_gensalt_rn failed for $2b$");
  }
  const Passphrase phrase(password);
  std::string hash = run_crypt(phrase, setting.data());
  if (hash.size() != kBcryptHashLength || !hash.starts_with("$2b$")) {
    return make_error(Errc::kInternal, "crypt_rn failed for $2b$");
  }
  return hash;
}

bool verify_password(std::string_view password, std::string_view hash) {
  if (hash.size() != kBcryptHashLength || !has_supported_prefix(hash) || has_nul(hash) ||
      has_nul(password)) {
    return false;
  }
  const Passphrase phrase(password);
  const std::string setting(hash);  // NUL-terminated copy for the C API
  const std::string computed = run_crypt(phrase, setting.c_str());
  return !computed.empty() && util::constant_time_equal(computed, hash);
}

}  // namespace fruitpak::services::auth
