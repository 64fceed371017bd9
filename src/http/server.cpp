#include "http/server.hpp"

#include "http/access_log.hpp"
#include "http/cors.hpp"
#include "http/errors.hpp"
#include "http/request_id.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <list>
#include <tuple>
#include <optional>
#include <stdexcept>

namespace fruitpak::http {
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace {

// Security headers of the contract (section 1.6) on every response.
// The status line and header fields of `res` in one buffer. Beast's serializer hands each
// field to the socket as a buffer of its own, through nested buffer-sequence adaptors
// whose iteration cost more CPU than the rest of a cache hit (measured with perf, see
// docs/PERFORMANCE.md); one header buffer and the body buffer go out in one writev.
// Our responses always carry a Content-Length (finish() sees to it), never chunked.
//
// Statuses that never carry content (RFC 9110): no body is sent and no length added.
bool without_content(const Response& res) {
  const int status = res.result_int();
  return status / 100 == 1 || status == 204 || status == 304;
}

std::string head_of(const Response& res) {
  std::string head;
  head.reserve(512);
  head += res.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  head += std::to_string(res.result_int());
  head += ' ';
  head += beast_http::obsolete_reason(res.result());
  head += "\r\n";
  for (const auto& field : res) {
    head += field.name_string();
    head += ": ";
    head += field.value();
    head += "\r\n";
  }
  if (!without_content(res) && !res.has_content_length()) head += "Content-Length: " + std::to_string(res.body().size()) + "\r\n";
  head += "\r\n";
  return head;
}

net::awaitable<std::tuple<boost::system::error_code, std::size_t>> write_response(beast::tcp_stream& stream,
                                                                                  const Response& res) {
  const std::string head = head_of(res);
  const auto body = without_content(res) ? std::string_view() : res.body().view();
  const std::array<net::const_buffer, 2> buffers{net::buffer(head), net::buffer(body.data(), body.size())};
  co_return co_await net::async_write(stream, buffers, use_tuple);
}

void add_security_headers(Response& res, bool production) {
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("X-XSS-Protection", "1; mode=block");
  res.set("Referrer-Policy", "strict-origin-when-cross-origin");
  res.set("Permissions-Policy", "geolocation=(), microphone=(), camera=(), payment=()");
  if (production) res.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains; preload");
}

// Fills path and query parameters from the request target; false if it is malformed.
bool parse_target(Request& req) {
  auto url = boost::urls::parse_origin_form(req.message.target());
  if (!url) return false;
  req.path = url->path();
  for (auto param : url->params()) req.query_params.emplace_back(param.key, param.value);
  return true;
}

}  // namespace

// A connection coroutine's state that the shutdown path may touch. Lives on the worker's
// thread only.
struct SessionState {
  beast::tcp_stream* stream = nullptr;
  bool idle = true;  // waiting for a request: safe to close on shutdown
};

struct Server::Worker {
  net::io_context context{1};
  std::optional<tcp::acceptor> acceptor;
  std::list<SessionState*> sessions;
  bool draining = false;
};

struct ConnectionLoop {
  Server::Worker& worker;
  const ServerOptions& options;
  const Router& router;
  HttpMetrics& metrics;
  std::atomic<bool>& stopping;
  std::function<void()> on_finished;

  net::awaitable<void> run(tcp::socket socket);
  net::awaitable<Response> dispatch(Request& req);
  void finish(Request& req, Response& res, bool keep_alive) const;
};

net::awaitable<Response> ConnectionLoop::dispatch(Request& req) {
  if (auto preflight = answer_preflight(req, options.allowed_origins)) co_return std::move(*preflight);
  if (!parse_target(req)) co_return error_response(Status::bad_request, "Malformed request target");

  auto matched = router.match(req.message.method(), req.path);
  if (std::holds_alternative<NoRoute>(matched)) co_return error_response(Status::not_found, "Not Found");
  if (auto* not_allowed = std::get_if<MethodNotAllowed>(&matched)) {
    auto res = error_response(Status::method_not_allowed, "Method Not Allowed");
    res.set(beast_http::field::allow, not_allowed->allow);
    co_return res;
  }
  auto& match = std::get<RouteMatch>(matched);
  req.route = match.route->path_template;
  req.path_params = std::move(match.params);
  try {
    co_return co_await match.route->handler(req);
  } catch (const std::exception& e) {
    spdlog::error("unhandled exception in {} {} rid={}: {}", req.message.method_string(),
                  req.route, req.request_id, e.what());
  }
  co_return error_response(Status::internal_server_error, kInternalErrorMessage,
                           "INTERNAL_SERVER_ERROR");
}

void ConnectionLoop::finish(Request& req, Response& res, bool keep_alive) const {
  res.version(req.message.version());
  res.keep_alive(keep_alive);
  res.set("X-Request-ID", req.request_id);
  add_security_headers(res, options.production);
  add_cors_headers(req, res, options.allowed_origins);
  if (options.test_mode) res.set("X-Query-Count", std::to_string(req.queries.count));
  if (!res.has_content_length() && !res.chunked()) res.prepare_payload();
}

net::awaitable<void> ConnectionLoop::run(tcp::socket socket) {
  std::string remote;
  boost::system::error_code ignored;
  if (auto endpoint = socket.remote_endpoint(ignored); !ignored) remote = endpoint.address().to_string();
  beast::tcp_stream stream(std::move(socket));
  SessionState state{&stream, true};
  auto registered = worker.sessions.insert(worker.sessions.end(), &state);
  struct Unregister {
    ConnectionLoop& loop;
    std::list<SessionState*>::iterator it;
    ~Unregister() {
      loop.worker.sessions.erase(it);
      loop.on_finished();
    }
  } unregister{*this, registered};

  beast::flat_buffer buffer;
  bool first = true;
  while (!worker.draining) {
    beast_http::request_parser<beast_http::string_body> parser;
    parser.body_limit(options.body_limit_bytes);
    parser.header_limit(16 * 1024);
    stream.expires_after(first ? options.header_timeout : options.idle_timeout);
    state.idle = true;
    auto [ec, n] = co_await beast_http::async_read(stream, buffer, parser, use_tuple);
    state.idle = false;
    first = false;
    if (ec) {
      std::optional<Response> refusal;
      if (ec == beast_http::error::body_limit) {
        refusal = error_response(Status::payload_too_large, "Request body too large");
      } else if (ec == beast_http::error::header_limit) {
        refusal = error_response(Status::request_header_fields_too_large, "Request headers too large");
      } else if (ec.category() == beast_http::make_error_code(beast_http::error::end_of_stream).category() &&
                 ec != beast_http::error::end_of_stream && ec != beast_http::error::partial_message) {
        refusal = error_response(Status::bad_request, "Malformed HTTP request");
      }
      if (refusal) {
        refusal->keep_alive(false);
        add_security_headers(*refusal, options.production);
        stream.expires_after(options.header_timeout);
        co_await write_response(stream, *refusal);
      }
      break;  // end_of_stream, timeout, cancelled (shutdown) or a read error: close
    }

    Request req;
    req.message = parser.release();
    req.started_at = std::chrono::steady_clock::now();
    req.remote_address = remote;
    req.request_id = request_id_for(req.header("X-Request-ID"));
    Response res = co_await dispatch(req);
    const bool keep_alive = req.message.keep_alive() && !worker.draining && !stopping.load();
    finish(req, res, keep_alive);

    stream.expires_after(options.idle_timeout);
    auto [wec, written] = co_await write_response(stream, res);
    const auto elapsed = std::chrono::steady_clock::now() - req.started_at;
    const auto method = req.message.method_string();
    metrics.observe(req.route, std::string_view(method.data(), method.size()), res.result_int(), elapsed);
    // req.path is empty when the target did not parse (or for a preflight): log the target
    // up to its query, never the query itself.
    const auto target = req.message.target();
    const std::string_view path = !req.path.empty()
                                      ? std::string_view(req.path)
                                      : std::string_view(target.data(), target.size()).substr(0, target.find('?'));
    log_access(AccessRecord{.request_id = req.request_id,
                            .tenant = req.tenant,
                            .route = req.route,
                            .method = std::string_view(method.data(), method.size()),
                            .path = path,
                            .status = res.result_int(),
                            .bytes = without_content(res) ? 0 : res.body().size(),
                            .duration_ms = std::chrono::duration<double, std::milli>(elapsed).count()});
    if (wec || !keep_alive) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

Server::Server(ServerOptions options, const Router& router) : options_(std::move(options)), router_(router) {}

Server::~Server() {
  stop();
  wait();
}

net::any_io_executor Server::executor() { return workers_.front()->context.get_executor(); }

void Server::start(bool handle_signals) {
  const unsigned count = std::max(1u, options_.threads);
  // HOST may be a name ("localhost"): resolve it once, here at start-up.
  net::io_context resolver_context;
  tcp::resolver resolver(resolver_context);
  boost::system::error_code resolve_error;
  auto resolved = resolver.resolve(options_.host, "0", tcp::resolver::passive, resolve_error);
  if (resolve_error || resolved.empty()) {
    throw std::runtime_error("cannot resolve HOST " + options_.host + ": " + resolve_error.message());
  }
  const auto address = resolved.begin()->endpoint().address();
  std::uint16_t port = options_.port;
  for (unsigned i = 0; i < count; ++i) {
    auto worker = std::make_unique<Worker>();
    tcp::endpoint endpoint(address, port);
    tcp::acceptor acceptor(worker->context);
    boost::system::error_code ec;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) {
      int one = 1;
      if (::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
        ec.assign(errno, boost::system::system_category());
      }
    }
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      throw std::runtime_error("cannot listen on " + options_.host + ":" + std::to_string(port) +
                               ": " + ec.message());
    }
    port = acceptor.local_endpoint().port();  // the others join the same (maybe ephemeral) port
    worker->acceptor.emplace(std::move(acceptor));
    workers_.push_back(std::move(worker));
  }
  bound_port_ = port;

  for (auto& worker : workers_) {
    net::co_spawn(worker->context, accept_loop(*worker), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);  // a bug in the accept loop: let the thread die loudly
    });
  }
  if (handle_signals) {
    auto signals = std::make_shared<net::signal_set>(workers_.front()->context, SIGINT, SIGTERM);
    signals->async_wait([this, signals](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      spdlog::info("signal {} received: shutting down (grace {} ms)", signal,
                   options_.shutdown_grace.count());
      stop();
    });
  }
  for (auto& worker : workers_) {
    threads_.emplace_back([&context = worker->context] { context.run(); });
  }
}

net::awaitable<void> Server::accept_loop(Worker& worker) {
  for (;;) {
    auto [ec, socket] = co_await worker.acceptor->async_accept(use_tuple);
    if (ec) {
      if (worker.draining || ec == net::error::operation_aborted) co_return;
      spdlog::warn("accept failed: {}", ec.message());
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    ++active_;
    auto loop = std::make_shared<ConnectionLoop>(
        ConnectionLoop{worker, options_, router_, metrics_, stopping_, [this] { session_finished(); }});
    net::co_spawn(worker.context, loop->run(std::move(socket)), [loop](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::error("connection ended by exception: {}", ex.what());
      }
    });
  }
}

void Server::session_finished() {
  if (--active_ == 0 && stopping_.load()) stop_threads();
}

void Server::stop_threads() {
  for (auto& worker : workers_) worker->context.stop();
}

void Server::stop() {
  if (stopping_.exchange(true) || workers_.empty()) return;
  for (auto& worker : workers_) {
    net::post(worker->context, [w = worker.get()] {
      w->draining = true;
      boost::system::error_code ignored;
      if (w->acceptor) w->acceptor->close(ignored);
      for (SessionState* session : w->sessions) {
        if (session->idle) session->stream->cancel();
      }
    });
  }
  if (active_.load() == 0) {
    stop_threads();
    return;
  }
  net::post(workers_.front()->context, [this] {
    grace_timer_.emplace(workers_.front()->context, options_.shutdown_grace);
    grace_timer_->async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      spdlog::warn("shutdown grace of {} ms passed with {} connection(s) open; closing them",
                   options_.shutdown_grace.count(), active_.load());
      stop_threads();
    });
  });
}

void Server::wait() {
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

}  // namespace fruitpak::http
