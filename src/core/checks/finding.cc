#include "core/checks/finding.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace gatehouse {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "";
}

void FindingList::Add(Severity severity, std::string id, std::string setting,
                      std::string title, std::string why, std::string fix) {
  findings_.push_back({severity, std::move(id), std::move(setting),
                       std::move(title), std::move(why), std::move(fix)});
}

void FindingList::Append(FindingList other) {
  findings_.insert(findings_.end(),
                   std::make_move_iterator(other.findings_.begin()),
                   std::make_move_iterator(other.findings_.end()));
}

void FindingList::SortBySeverity() {
  std::stable_sort(findings_.begin(), findings_.end(),
                   [](const Finding& a, const Finding& b) {
                     return a.severity < b.severity;
                   });
}

int FindingList::Count(Severity s) const {
  return static_cast<int>(
      std::count_if(findings_.begin(), findings_.end(),
                    [s](const Finding& f) { return f.severity == s; }));
}

}  // namespace gatehouse
