#include "services/auth/sms_sender.hpp"

#include "config/config.hpp"
#include "services/auth/twilio_sms_sender.hpp"

#include <spdlog/spdlog.h>

namespace fruitpak::services::auth {

namespace {

// The text with every digit replaced by '*': an SMS here carries a one-time code, which is a
// credential and must not reach a log line (issue 9). Development clients get the code from
// the otp-request answer (`dev_code`, outside production) instead.
std::string mask_digits(std::string text) {
  for (char& c : text) {
    if (c >= '0' && c <= '9') c = '*';
  }
  return text;
}

}  // namespace

net::awaitable<Result<void>> LogSmsSender::send(std::string phone, std::string text) {
  spdlog::warn("SMS (not sent: no TWILIO_ACCOUNT_SID) to {}: {}", phone, mask_digits(std::move(text)));
  co_return Result<void>{};
}

std::unique_ptr<SmsSender> make_sms_sender(const config::Config& config) {
  if (!config.twilio_account_sid.empty()) {
    spdlog::info("OTP codes are sent by SMS through Twilio from {}", config.twilio_from_number);
    return std::make_unique<TwilioSmsSender>(config.twilio_account_sid, config.twilio_auth_token,
                                             config.twilio_from_number);
  }
  spdlog::warn("TWILIO_ACCOUNT_SID is empty: OTP codes are not sent by SMS (the log shows the SMS with the code masked)");
  return std::make_unique<LogSmsSender>();
}

}  // namespace fruitpak::services::auth
