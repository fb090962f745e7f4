// Test-only: reading `gatehouse doctor --json` output, for the doctor's
// black-box tests (doctor_test.cc, doctor_live_test.cc). Header only.
#ifndef GATEHOUSE_TESTS_INTEGRATION_DOCTOR_JSON_H_
#define GATEHOUSE_TESTS_INTEGRATION_DOCTOR_JSON_H_

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>

namespace gatehouse::testkit {

// `output` parsed as a JSON object; a test failure (and {}) if it is not.
inline boost::json::object ParseDoctorJson(const std::string& output) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(output, ec);
  if (ec || !doc.is_object()) {
    ADD_FAILURE() << "not a JSON document:\n" << output;
    return {};
  }
  return doc.as_object();
}

// The ids of the document's findings, of `severity` only if given.
inline std::set<std::string> FindingIds(const boost::json::object& doc,
                                        const char* severity = nullptr) {
  std::set<std::string> ids;
  if (!doc.contains("findings")) return ids;
  for (const auto& f : doc.at("findings").as_array()) {
    if (severity && f.at("severity").as_string() != severity) continue;
    ids.insert(std::string(f.at("id").as_string()));
  }
  return ids;
}

}  // namespace gatehouse::testkit

#endif  // GATEHOUSE_TESTS_INTEGRATION_DOCTOR_JSON_H_
