#pragma once
// A real PostgreSQL server for the tests that need one: a temporary cluster
// made with initdb (as the unprivileged `postgres` user when the tests run as
// root), listening on a free loopback port, removed afterwards. Never a mock.

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "test_util.h"

namespace exportctl::testing {

inline int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

class PgServer {
 public:
  PgServer() {
    bin_ = find_bin();
    if (bin_.empty())
      throw std::runtime_error("PostgreSQL server binaries not found (apt-get install postgresql)");
    dir_ = std::filesystem::temp_directory_path() /
           ("exportctl-pg-" + std::to_string(getpid()) + "-" + std::to_string(++counter_));
    std::filesystem::create_directories(dir_);
    as_user_ = geteuid() == 0 ? "runuser -u postgres -- " : "";
    if (geteuid() == 0) {
      const passwd* pw = getpwnam("postgres");
      if (!pw) throw std::runtime_error("running as root needs the 'postgres' user to run initdb");
      chown(dir_.c_str(), pw->pw_uid, pw->pw_gid);
    }
    port_ = free_port();
    const auto data = dir_ / "data";
    must(as_user_ + bin_ + "/initdb -D " + data.string() + " -A trust -U exportctl --no-sync -E UTF8");
    must(as_user_ + bin_ + "/pg_ctl -D " + data.string() + " -l " + (dir_ / "server.log").string() +
         " -w -t 60 -o \"-p " + std::to_string(port_) + " -k " + dir_.string() +
         " -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=50\" start");
  }
  ~PgServer() {
    run(as_user_ + bin_ + "/pg_ctl -D " + (dir_ / "data").string() + " -m immediate -w stop");
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // A fresh database for one test, as a libpq URI.
  std::string database(const std::string& name) const {
    must(bin_ + "/createdb -h 127.0.0.1 -p " + std::to_string(port_) + " -U exportctl " + name);
    return uri(name);
  }
  std::string uri(const std::string& name) const {
    return "postgresql://exportctl@127.0.0.1:" + std::to_string(port_) + "/" + name;
  }
  // Runs SQL with psql.
  void sql(const std::string& db, const std::string& statement) const {
    must(bin_ + "/psql -q -v ON_ERROR_STOP=1 \"" + uri(db) + "\" -c \"" + statement + "\"");
  }

 private:
  static std::string find_bin() {
    if (const char* env = std::getenv("EXPORTCTL_PG_BIN"); env && *env) return env;
    const auto r = run("pg_config --bindir");
    std::string dir = r.out;
    while (!dir.empty() && (dir.back() == '\n' || dir.back() == ' ')) dir.pop_back();
    if (r.status == 0 && std::filesystem::exists(dir + "/initdb")) return dir;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec))
      if (std::filesystem::exists(e.path() / "bin" / "initdb")) return (e.path() / "bin").string();
    return {};
  }
  static void must(const std::string& command) {
    const auto r = run(command);
    if (r.status != 0) throw std::runtime_error(command + " failed: " + r.err + r.out);
  }

  static inline int counter_ = 0;
  std::string bin_, as_user_;
  std::filesystem::path dir_;
  int port_ = 0;
};

}  // namespace exportctl::testing
