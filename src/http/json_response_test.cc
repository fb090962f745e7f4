#include "http/json_response.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>

namespace gatehouse {
namespace {

namespace json = boost::json;

// What storage says when SQLite is locked, or libpq when the server is
// gone: SQL, file names, hosts and ports the client has no business with.
constexpr char kStorageDetail[] =
    "sqlite BEGIN: database is locked (database busy); connection to "
    "server at \"db.internal\" (10.1.2.3), port 5432 failed";

// Routes spdlog's default logger into a string for the test's lifetime.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    spdlog::set_default_logger(
        std::make_shared<spdlog::logger>("captured", sink));
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

json::object Envelope(const Response& res) {
  return json::parse(res.body()).as_object();
}

// SPEC §10: a 5xx never tells the client internal detail; the log has it.
TEST(JsonErrorTest, StorageErrorTextNeverReachesTheClient) {
  for (ErrorCode code : {ErrorCode::kUnavailable, ErrorCode::kInternal}) {
    CapturedLog log;
    Error error = MakeError(code, kStorageDetail);
    error.retry_after_seconds = 1;
    Response res = JsonError(error);
    EXPECT_GE(res.result_int(), 500);
    for (const char* leak : {"sqlite", "BEGIN", "locked", "busy", "db.internal",
                             "10.1.2.3", "5432"}) {
      EXPECT_EQ(res.body().find(leak), std::string::npos)
          << leak << " in " << res.body();
    }
    json::object envelope = Envelope(res);
    EXPECT_EQ(envelope.at("success"), false);
    EXPECT_EQ(envelope.at("code").as_string(), ErrorCodeName(code));
    EXPECT_FALSE(envelope.at("message").as_string().empty());
    EXPECT_EQ(res[bhttp::field::retry_after], "1") << "the hint stays";
    EXPECT_NE(log.text().find(kStorageDetail), std::string::npos)
        << "the operator still learns what happened: " << log.text();
  }
}

TEST(JsonErrorTest, ServerErrorsShareOneMessagePerCode) {
  Response a = JsonError(MakeError(ErrorCode::kUnavailable, "one cause"));
  Response b = JsonError(MakeError(ErrorCode::kUnavailable, "another"));
  EXPECT_EQ(a.body(), b.body());
  EXPECT_EQ(Envelope(a).at("message"),
            "the service is temporarily unavailable; retry shortly");
  EXPECT_EQ(
      Envelope(JsonError(MakeError(ErrorCode::kInternal, "x"))).at("message"),
      "internal error");
}

TEST(JsonErrorTest, ClientErrorsKeepTheirMessage) {
  Response res =
      JsonError(MakeError(ErrorCode::kValidationFailed, "email: required"));
  EXPECT_EQ(res.result(), bhttp::status::bad_request);
  json::object envelope = Envelope(res);
  EXPECT_EQ(envelope.at("message"), "email: required");
  EXPECT_EQ(envelope.at("code"), "VALIDATION_FAILED");
}

}  // namespace
}  // namespace gatehouse
