#pragma once
// The value both cache tiers hold: a response ready to send, so a hit does no JSON work.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace fruitpak::cache {

// A response ready to send: what a cache hit returns without any JSON work. Immutable once
// shared (held through CachedResponsePtr), so many threads may read one entry at once.
struct CachedResponse {
  std::string body;          // identity body
  std::string gzip_body;     // gzip of body; empty when compression did not pay
  std::string etag;          // strong, quoted: "\"...\""
  std::string content_type;  // e.g. application/json
  std::uint64_t generation = 0;  // the (tenant, prefix) generation the loader started with
  std::chrono::steady_clock::time_point fresh_until;  // served as a hit before this
  std::chrono::steady_clock::time_point stale_until;  // may be served stale before this

  // Bookkeeping charged to every entry besides its strings' buffers. On libstdc++ x86-64,
  // with malloc's chunk rounding: this object plus its make_shared control block (176), the
  // L1 store's map node (112), its two LRU list nodes (96) and a bucket slot (8). It keeps
  // the byte budget honest when many small responses (a 404 body, a short page) are cached.
  static constexpr std::size_t kOverheadBytes = 392;

  // Approximate memory held by this entry: the strings' capacities plus kOverheadBytes.
  // The L1 store adds the key's size. Short strings living inside the object are counted
  // twice; the error is a few dozen bytes and errs on the safe side.
  std::size_t bytes() const {
    return body.capacity() + gzip_body.capacity() + etag.capacity() + content_type.capacity() +
           kOverheadBytes;
  }
};

using CachedResponsePtr = std::shared_ptr<const CachedResponse>;

}  // namespace fruitpak::cache
