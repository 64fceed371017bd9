#pragma once
// A Beast body type for our responses: either text a handler built, or bytes shared with
// an immutable owner (a cache entry) and sent without copying. This is how a cache hit
// answers without an allocation proportional to the body (issue 6): the response holds a
// reference to the entry, and the writer hands the entry's buffer straight to the socket.

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace fruitpak::http {

class Payload {
 public:
  Payload() = default;
  Payload& operator=(std::string text) {
    text_ = std::move(text);
    owner_.reset();
    shared_ = {};
    return *this;
  }

  // Sends `bytes`, which `owner` keeps alive and nobody modifies, instead of own text.
  void share(std::shared_ptr<const void> owner, std::string_view bytes) {
    text_.clear();
    owner_ = std::move(owner);
    shared_ = bytes;
  }

  std::string_view view() const { return owner_ ? shared_ : std::string_view(text_); }
  std::size_t size() const { return view().size(); }
  bool empty() const { return view().empty(); }
  bool is_shared() const { return owner_ != nullptr; }

  // Appends received bytes (the reader side); a shared payload becomes own text first.
  void append(std::string_view bytes) {
    if (owner_) *this = std::string(shared_);
    text_.append(bytes);
  }

 private:
  std::string text_;
  std::shared_ptr<const void> owner_;
  std::string_view shared_;
};

struct PayloadBody {
  using value_type = Payload;

  static std::uint64_t size(const value_type& body) { return body.size(); }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;

    template <bool isRequest, class Fields>
    writer(const boost::beast::http::header<isRequest, Fields>&, const value_type& body) : body_(body) {}

    void init(boost::beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      ec = {};
      const auto bytes = body_.view();
      return std::pair{const_buffers_type(bytes.data(), bytes.size()), false};
    }

   private:
    const value_type& body_;
  };

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>&, boost::beast::error_code& ec) { ec = {}; }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      ec = {};
      std::size_t total = 0;
      for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers);
           ++it) {
        body_.append(std::string_view(static_cast<const char*>(it->data()), it->size()));
        total += it->size();
      }
      return total;
    }

    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

}  // namespace fruitpak::http
