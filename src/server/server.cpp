// The HTTP server: cpp-httplib with a bounded worker pool (503 when full),
// bearer-key authentication, body and time limits, hot reload of the
// snapshot, and the audit log written before each decision is answered.

#include "server/server.h"

#include <httplib.h>

#include <chrono>
#include <csignal>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>
#include <thread>

#include "audit/audit.h"
#include "core/error.h"
#include "core/files.h"
#include "core/json.h"
#include "server/api.h"
#include "server/keys.h"
#include "server/metrics.h"

namespace exportctl::server {

namespace {

using nlohmann::json;

// Set on the thread that answers connections the pool had no room for.
thread_local bool t_overloaded = false;

// Request workers with a bounded queue of waiting connections. When the queue
// is full a connection is handed to one small thread that answers every
// request on it with 503, so load beyond capacity is refused, not queued.
class BoundedPool : public httplib::TaskQueue {
 public:
  BoundedPool(std::size_t workers, std::size_t max_queue) : max_queue_(max_queue) {
    for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { work(jobs_, false); });
    threads_.emplace_back([this] { work(rejected_, true); });
  }
  ~BoundedPool() override = default;

  void enqueue(std::function<void()> fn) override {
    {
      std::lock_guard lock(mutex_);
      (jobs_.size() < max_queue_ ? jobs_ : rejected_).push_back(std::move(fn));
    }
    wake_.notify_all();
  }
  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }

 private:
  void work(std::deque<std::function<void()>>& queue, bool overloaded) {
    t_overloaded = overloaded;
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || !queue.empty(); });
        if (queue.empty()) return;
        fn = std::move(queue.front());
        queue.pop_front();
      }
      fn();
    }
  }

  std::size_t max_queue_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_, rejected_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

std::atomic<int> g_signal{0};
extern "C" void on_signal(int sig) {
  g_signal.store(sig);
}

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace

int serve(const engine::Config& config, const Options& options, std::ostream& log) {
  if (!options.require_keys && !is_loopback(options.host))
    throw InputError("--no-auth",
                     "is allowed only on a loopback address (127.0.0.1, ::1), not on " + options.host);
  Api api(config, options);  // loads the snapshot, opens the audit log and the keys

  httplib::Server svr;
  // cpp-httplib gives each kept-alive connection one worker for its life, so
  // the pool is sized by connections, not cores: with fewer workers than
  // clients the extra connections wait whole keep-alive sessions (p99 of
  // seconds under wrk -c32 with 8 workers).
  const std::size_t workers = options.threads ? options.threads : kDefaultWorkers;
  svr.new_task_queue = [workers, &options] { return new BoundedPool(workers, options.max_queue); };
  svr.set_payload_max_length(options.max_body);
  // Small JSON answers on kept-alive connections otherwise wait for the
  // client's delayed ACK (Nagle): about 40 ms each.
  svr.set_tcp_nodelay(true);
  svr.set_read_timeout(options.read_timeout, 0);
  svr.set_write_timeout(options.read_timeout, 0);
  svr.set_keep_alive_timeout(options.idle_timeout);
  svr.set_keep_alive_max_count(1000);
  svr.set_pre_routing_handler([](const httplib::Request&, httplib::Response& res) {
    if (!t_overloaded) return httplib::Server::HandlerResponse::Unhandled;
    res.status = 503;
    res.set_header("Retry-After", "1");
    res.set_header("Connection", "close");
    res.set_content(R"({"error":{"field":null,"message":"the server is at capacity; retry shortly"}})",
                    "application/json");
    return httplib::Server::HandlerResponse::Handled;
  });
  api.install(svr);

  int port = options.port;
  if (port == 0) {
    port = svr.bind_to_any_port(options.host);
  } else if (!svr.bind_to_port(options.host.c_str(), port)) {
    port = -1;
  }
  if (port < 0)
    throw InputError("--listen", "cannot listen on " + options.host + ":" + std::to_string(options.port));
  log << "exportctl " << engine::version() << " serving on http://" << options.host << ":" << port << " ("
      << workers << " workers, audit " << api.audit_description() << ", "
      << (options.require_keys ? "API keys required" : "no authentication (loopback)") << ")" << std::endl;
  if (!options.ready_file.empty())
    write_file_atomically(options.ready_file, options.host + ":" + std::to_string(port) + "\n");

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGHUP, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    while (!done.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const int sig = g_signal.exchange(0);
      if (sig == SIGHUP) {
        const std::string result = api.reload();
        log << "SIGHUP: " << result << std::endl;
      } else if (sig == SIGINT || sig == SIGTERM) {
        log << "stopping" << std::endl;
        svr.stop();
        return;
      }
    }
  });
  const bool ok = svr.listen_after_bind();
  done.store(true);
  watcher.join();
  return ok ? 0 : 1;
}

}  // namespace exportctl::server
