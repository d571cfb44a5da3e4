// Example: embedding smserver in a program through the public API.
//
//   embed-example CONFIG [RECIPIENT [TEXT]]
//
// Starts a server from CONFIG (with no <modem> configured it drives the bundled
// simulator), queues one message, waits until it is sent, lists the outbound
// messages of the last hour and the unprocessed inbound ones, marks those
// processed, and terminates the server (all threads end, ports close).
// Exit status 0 when the message was sent, 1 otherwise, 2 for a bad config.
#include <smserver/smserver.hpp>

#include <chrono>
#include <cstdio>
#include <thread>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: embed-example CONFIG [RECIPIENT [TEXT]]\n");
    return 2;
  }
  const std::string config = argv[1];
  const std::string recipient = argc > 2 ? argv[2] : "+8613800138000";
  const std::string text = argc > 3 ? argv[3] : "Hello from an embedded smserver / 来自嵌入式服务器的问候";

  try {
    smserver::Server server(config);  // Java: new JSMServer(config).start()
    // One Database per thread; this one is used only by main().
    auto db = smserver::Database::from_config(config);

    smserver::NewMessage m;
    m.recipient = recipient;
    m.text = text;
    m.ref = "embed-example";
    const std::int64_t id = db.enqueue(m);
    std::printf("queued outbox row %lld\n", static_cast<long long>(id));

    // The server notices the new row at once; a real program would not poll,
    // but an example has nothing better to do.
    std::string status;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      auto row = db.get_out_message(id);
      status = row ? row->status : "missing";
      if (status == "sent" || status == "failed" || status == "unknown" || status == "delivered") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::printf("outbox row %lld is %s\n", static_cast<long long>(id), status.c_str());

    const std::string from = smserver::utc_in(-3600), to = smserver::utc_in(1);
    std::printf("outbound messages since %s:\n", from.c_str());
    for (const auto& o : db.find_out_messages(from, to))  // Java: findOutMessageByTime
      std::printf("  #%lld %-10s %s %s\n", static_cast<long long>(o.id), o.status.c_str(), o.recipient.c_str(),
                  o.text.c_str());
    for (const auto& in : db.find_in_messages(from, to, /*unprocessed_only=*/true)) {  // Java: findInMessageByTime
      std::printf("  received #%lld from %s: %s\n", static_cast<long long>(in.id), in.sender.c_str(), in.text.c_str());
      db.set_processed(in.id);  // Java: setInMessageProcessed
    }

    server.terminate();  // Java: JSMServer.terminate()
    std::printf("server terminated\n");
    return status == "sent" || status == "delivered" ? 0 : 1;
  } catch (const smserver::Error& e) {
    std::fprintf(stderr, "embed-example: %s\n", e.what());
    return 2;
  }
}
