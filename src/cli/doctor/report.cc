#include "cli/doctor/report.h"

#include <boost/json.hpp>
#include <string_view>

namespace gatehouse {
namespace {

namespace json = boost::json;

constexpr std::string_view kReset = "\033[0m";
constexpr std::string_view kBold = "\033[1m";
constexpr std::string_view kDim = "\033[2m";

std::string_view SeverityColor(Severity s) {
  switch (s) {
    case Severity::kError:
      return "\033[1;31m";  // bold red
    case Severity::kWarning:
      return "\033[1;33m";  // bold yellow
    case Severity::kNote:
      return "\033[1;36m";  // bold cyan
  }
  return "";
}

// `text` wrapped at `width`, continuation lines indented by `indent`
// spaces; the first line starts at column `indent` too (its label is
// already printed). Words are never split, so a long URL stays whole.
std::string Wrap(std::string_view text, size_t indent, size_t width) {
  std::string out;
  size_t column = indent;
  while (!text.empty()) {
    size_t space = text.find(' ');
    std::string_view word = text.substr(0, space);
    text = space == std::string_view::npos ? "" : text.substr(space + 1);
    if (word.empty()) continue;
    if (column > indent && column + 1 + word.size() > width) {
      out += "\n" + std::string(indent, ' ');
      column = indent;
    } else if (column > indent) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
  }
  return out;
}

std::string Plural(int n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// Boost 1.81 serialises compactly only; the document is read by people
// too, so indent it (two spaces, one member per line).
void Pretty(const json::value& v, std::string& out, int depth) {
  std::string pad(2 * (depth + 1), ' ');
  std::string close(2 * depth, ' ');
  if (const json::object* o = v.if_object()) {
    if (o->empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    bool first = true;
    for (const auto& member : *o) {
      if (!first) out += ",\n";
      first = false;
      out += pad + json::serialize(json::string(member.key())) + ": ";
      Pretty(member.value(), out, depth + 1);
    }
    out += "\n" + close + "}";
  } else if (const json::array* a = v.if_array()) {
    if (a->empty()) {
      out += "[]";
      return;
    }
    out += "[\n";
    bool first = true;
    for (const json::value& item : *a) {
      if (!first) out += ",\n";
      first = false;
      out += pad;
      Pretty(item, out, depth + 1);
    }
    out += "\n" + close + "]";
  } else {
    out += json::serialize(v);
  }
}

}  // namespace

std::string RenderText(const DoctorReport& report, const TextStyle& style) {
  auto paint = [&](std::string_view code, std::string_view text) {
    return style.color
               ? std::string(code) + std::string(text) + std::string(kReset)
               : std::string(text);
  };
  const size_t width = static_cast<size_t>(style.width);
  // Labels are padded to one column so why and fix line up.
  constexpr size_t kIndent = 11;
  auto field = [&](std::string_view label, std::string_view text) {
    std::string head = "  " + std::string(label) + ":";
    head.resize(kIndent, ' ');
    return paint(kDim, head) + Wrap(text, kIndent, width) + "\n";
  };

  std::string out = "gatehouse doctor: the " +
                    std::string(report.dev ? "--dev" : "production") +
                    " config\n";
  out +=
      "  API:  " + (report.api_url.empty() ? "(none)" : report.api_url) + "\n";
  std::string apps;
  for (const std::string& app : report.app_urls) {
    apps += (apps.empty() ? "" : ", ") + app;
  }
  out += "  apps: " + (apps.empty() ? "(none)" : apps) + "\n";
  if (!report.live.empty()) out += "  live: " + report.live + "\n";

  for (const Finding& f : report.findings) {
    out += "\n" + paint(SeverityColor(f.severity), SeverityName(f.severity)) +
           ": " + paint(kBold, f.title) + "\n";
    out += field("id", f.id);
    if (!f.setting.empty()) out += field("setting", f.setting);
    out += field("why", f.why);
    out += field("fix", f.fix);
  }

  int errors = report.findings.Count(Severity::kError);
  std::string counts =
      Plural(errors, "error", "errors") + ", " +
      Plural(report.findings.Count(Severity::kWarning), "warning", "warnings") +
      ", " + Plural(report.findings.Count(Severity::kNote), "note", "notes");
  out += "\n";
  if (errors > 0) {
    out += paint(SeverityColor(Severity::kError), "FAIL") + " " + counts +
           ": fix the errors before users meet them\n";
  } else {
    out += paint("\033[1;32m", "OK") + " " + counts + "\n";
  }
  return out;
}

std::string RenderJson(const DoctorReport& report) {
  json::object doc;
  doc["ok"] = report.ok();
  doc["errors"] = report.findings.Count(Severity::kError);
  doc["warnings"] = report.findings.Count(Severity::kWarning);
  doc["notes"] = report.findings.Count(Severity::kNote);
  doc["mode"] = report.dev ? "dev" : "production";
  doc["api_url"] = report.api_url.empty() ? json::value(nullptr)
                                          : json::value(report.api_url);
  json::array apps;
  for (const std::string& app : report.app_urls) apps.emplace_back(app);
  doc["app_urls"] = std::move(apps);
  json::array findings;
  for (const Finding& f : report.findings) {
    json::object item;
    item["id"] = f.id;
    item["severity"] = SeverityName(f.severity);
    item["setting"] =
        f.setting.empty() ? json::value(nullptr) : json::value(f.setting);
    item["title"] = f.title;
    item["why"] = f.why;
    item["fix"] = f.fix;
    findings.emplace_back(std::move(item));
  }
  doc["findings"] = std::move(findings);
  std::string out;
  Pretty(doc, out, 0);
  return out + "\n";
}

int ExitCode(const DoctorReport& report) { return report.ok() ? 0 : 1; }

}  // namespace gatehouse
