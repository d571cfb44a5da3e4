// smserver::Server: the public wrapper around sms::server::Server.
#include <smserver/smserver.hpp>

#include "db/store.hpp"
#include "src/config/config.hpp"
#include "src/server/server.hpp"

namespace smserver {

struct Server::Impl {
  std::unique_ptr<sms::server::Server> server;
  std::string db_path;
};

namespace {
std::unique_ptr<sms::server::Server> start(const sms::config::Config& c) {
  try {
    return std::make_unique<sms::server::Server>(c);
  } catch (const sms::db::StoreError& e) {
    throw Error("cannot open the database " + c.database.url + ": " + e.what());
  } catch (const std::exception& e) {
    throw Error(std::string("cannot start the server: ") + e.what());
  }
}
sms::config::Config load(const std::string& path) {
  try {
    return sms::config::load(path);
  } catch (const sms::config::ConfigError& e) {
    throw Error(e.what());
  }
}
}  // namespace

Server::Server(const std::string& config_path) : Server(load(config_path)) {}

Server::Server(const sms::config::Config& config) : impl_(std::make_unique<Impl>()) {
  impl_->db_path = config.database.url;
  impl_->server = start(config);
}

Server::~Server() {
  try {
    terminate();
  } catch (...) {
  }
}

void Server::terminate() {
  if (!impl_->server) return;
  impl_->server->stop(std::chrono::seconds(3));
  impl_->server.reset();
}

bool Server::running() const { return impl_->server != nullptr; }
std::string Server::database_path() const { return impl_->db_path; }

}  // namespace smserver
