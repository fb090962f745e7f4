// Finding and FindingList: what the checks of a deployment found, in the
// one list every stage adds to and every printer reads. The static checks
// (core/checks/deployment_checks.h, run by `serve` and `doctor`), the live
// checks of `doctor --live` (cli/doctor/live_checks.h) and the report
// (cli/doctor/report.h) all hold findings in a FindingList, so one run's
// text, JSON and exit code do not care which stage found what. Each
// finding and its id: docs/doctor.md.
#ifndef GATEHOUSE_CORE_CHECKS_FINDING_H_
#define GATEHOUSE_CORE_CHECKS_FINDING_H_

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse {

enum class Severity {
  kError,    // breaks sign-in or security; `serve` refuses to start
  kWarning,  // works, but weakens security or breaks some setups
  kNote,     // advice; nothing is wrong yet
};

// "error", "warning" or "note".
std::string_view SeverityName(Severity s);

struct Finding {
  Severity severity = Severity::kError;
  std::string id;       // stable, kebab-case: "cookie-domain-misses-app"
  std::string setting;  // the GATEHOUSE_* setting it concerns; "" if none
  std::string title;    // one line: what is wrong
  std::string why;      // what breaks in the browser, and why
  std::string fix;      // what to change
};

// Findings in the order they were added, until SortBySeverity orders them.
// A value type; not thread-safe.
class FindingList {
 public:
  using const_iterator = std::vector<Finding>::const_iterator;

  FindingList() = default;
  FindingList(std::initializer_list<Finding> findings) : findings_(findings) {}

  // Adds one finding after those held.
  void Add(Severity severity, std::string id, std::string setting,
           std::string title, std::string why, std::string fix);

  // Adds every finding of `other` after those held, in `other`'s order.
  void Append(FindingList other);

  // Orders the findings errors first, then warnings, then notes; those of
  // one severity keep the order they were added in (a stable sort), which
  // is the order of docs/doctor.md within each stage.
  void SortBySeverity();

  // How many findings have severity `s`.
  int Count(Severity s) const;

  bool empty() const { return findings_.empty(); }
  size_t size() const { return findings_.size(); }
  // REQUIRES: i < size().
  const Finding& operator[](size_t i) const { return findings_[i]; }
  const_iterator begin() const { return findings_.begin(); }
  const_iterator end() const { return findings_.end(); }

 private:
  std::vector<Finding> findings_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_CHECKS_FINDING_H_
