// DoctorReport: what `gatehouse doctor` found, and its two renderings:
// text for a terminal (one block per finding, a summary line) and a JSON
// document whose shape and key order are stable (docs/doctor.md).
// Pure: no I/O; the caller decides colour and width.
#ifndef GATEHOUSE_CLI_DOCTOR_REPORT_H_
#define GATEHOUSE_CLI_DOCTOR_REPORT_H_

#include <string>
#include <vector>

#include "core/checks/finding.h"

namespace gatehouse {

struct DoctorReport {
  bool dev = false;  // checked as `serve --dev` sees the config
  std::string api_url;
  std::vector<std::string> app_urls;
  // Errors first, then warnings, then notes. The static checks fill it;
  // the live stage (--live) adds what it saw the server do.
  FindingList findings;
  // The live stage's steps and answers ("login 200, refresh 200, logout
  // 200 as a@example.com"); "" without --live. Text only: the JSON shape
  // stays that of the static report.
  std::string live;

  bool ok() const { return findings.Count(Severity::kError) == 0; }
};

struct TextStyle {
  bool color = false;  // ANSI colours: only for a terminal
  int width = 80;      // wrap why/fix at this column
};

// The report for a terminal or a log: a header naming the URLs checked
// (and, after --live, the steps taken), one block per finding (severity and
// title, id, setting, why, fix) and a summary line.
std::string RenderText(const DoctorReport& report, const TextStyle& style);

// {"ok", "errors", "warnings", "notes", "mode", "api_url", "app_urls",
//  "findings": [{"id", "severity", "setting", "title", "why", "fix"}]} in
// that order, two-space indented; "setting" is null when none.
std::string RenderJson(const DoctorReport& report);

// 0 without errors, 1 with.
int ExitCode(const DoctorReport& report);

}  // namespace gatehouse

#endif  // GATEHOUSE_CLI_DOCTOR_REPORT_H_
