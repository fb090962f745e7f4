#include "app/guard_config.h"

#include <toml++/toml.h>

#include <map>
#include <string_view>
#include <utility>
#include <vector>

namespace gatehouse {
namespace {

// "/" needs no rule and no public prefix to be reachable, and is where a
// signed-in user on the login page is best sent when nothing is said.
constexpr std::string_view kDefaultLandingPath = "/";

std::string_view TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
      return "a date or time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

int Line(const toml::node& node) {
  return static_cast<int>(node.source().begin.line);
}

// Reads one [guard] table, remembering the line of every field so that a
// problem found later (by GuardPolicy::FindProblem) points at its line.
class GuardReader {
 public:
  explicit GuardReader(std::string path) : path_(std::move(path)) {}

  Result<GuardRules> Read(const toml::table& guard) {
    guard_line_ = Line(guard);
    GuardRules rules;
    bool has_login_path = false;
    bool has_landing_path = false;
    for (auto&& [key, node] : guard) {
      const std::string name(key.str());
      const std::string field = "guard." + name;
      if (name == "login_path") {
        GH_ASSIGN_OR_RETURN(rules.login_path, String(node, field));
        has_login_path = true;
      } else if (name == "landing_path") {
        GH_ASSIGN_OR_RETURN(rules.landing_path, String(node, field));
        has_landing_path = true;
      } else if (name == "public") {
        GH_ASSIGN_OR_RETURN(rules.public_prefixes, Strings(node, field));
      } else if (name == "rules") {
        GH_ASSIGN_OR_RETURN(rules.rules, Rules(node, field));
      } else {
        return At(Line(node), field,
                  "unknown key (expected login_path, landing_path, public "
                  "or rules)");
      }
    }
    if (!has_login_path) {
      return At(guard_line_, "guard.login_path",
                "missing: where the signed-out are sent, e.g. \"/auth\"");
    }
    if (!has_landing_path) {
      rules.landing_path = kDefaultLandingPath;
      lines_["guard.landing_path"] = guard_line_;
    }
    if (auto problem = GuardPolicy::FindProblem(rules)) {
      auto it = lines_.find(problem->field);
      return At(it == lines_.end() ? guard_line_ : it->second, problem->field,
                problem->reason);
    }
    return rules;
  }

 private:
  Error At(int line, const std::string& field, const std::string& why) const {
    std::string where = path_;
    // A table made implicitly (by [[guard.rules]] alone) may have no line.
    if (line > 0) where += " line " + std::to_string(line);
    return MakeError(ErrorCode::kValidationFailed,
                     "GATEHOUSE_CONFIG: " + where + ": " + field + ": " + why);
  }

  Result<std::string> String(const toml::node& node, const std::string& field) {
    lines_[field] = Line(node);
    const auto* value = node.as_string();
    if (value == nullptr) {
      return At(Line(node), field,
                "must be a string, not " + std::string(TypeName(node)));
    }
    return value->get();
  }

  Result<std::vector<std::string>> Strings(const toml::node& node,
                                           const std::string& field) {
    lines_[field] = Line(node);
    const toml::array* array = node.as_array();
    if (array == nullptr) {
      return At(
          Line(node), field,
          "must be an array of strings, not " + std::string(TypeName(node)));
    }
    std::vector<std::string> out;
    for (size_t i = 0; i < array->size(); ++i) {
      const toml::node& item = *array->get(i);
      // An array written on one line gives its items the array's line.
      const std::string item_field = field + "[" + std::to_string(i) + "]";
      GH_ASSIGN_OR_RETURN(std::string text, String(item, item_field));
      out.push_back(std::move(text));
    }
    return out;
  }

  Result<std::vector<GuardRules::Rule>> Rules(const toml::node& node,
                                              const std::string& field) {
    const toml::array* array = node.as_array();
    if (array == nullptr) {
      return At(Line(node), field,
                "must be an array of tables ([[guard.rules]]), not " +
                    std::string(TypeName(node)));
    }
    std::vector<GuardRules::Rule> out;
    for (size_t i = 0; i < array->size(); ++i) {
      const toml::node& item = *array->get(i);
      const std::string rule_field = field + "[" + std::to_string(i) + "]";
      const toml::table* table = item.as_table();
      if (table == nullptr) {
        return At(Line(item), rule_field,
                  "must be a table with prefix and roles, not " +
                      std::string(TypeName(item)));
      }
      GuardRules::Rule rule;
      bool has_prefix = false;
      bool has_roles = false;
      for (auto&& [key, value] : *table) {
        const std::string name(key.str());
        const std::string value_field = rule_field + "." + name;
        if (name == "prefix") {
          GH_ASSIGN_OR_RETURN(rule.prefix, String(value, value_field));
          has_prefix = true;
        } else if (name == "roles") {
          GH_ASSIGN_OR_RETURN(rule.roles, Strings(value, value_field));
          has_roles = true;
        } else {
          return At(Line(value), value_field,
                    "unknown key (expected prefix and roles)");
        }
      }
      if (!has_prefix) {
        return At(Line(*table), rule_field + ".prefix",
                  "missing: the path prefix the rule protects, e.g. "
                  "\"/admin\"");
      }
      if (!has_roles) {
        return At(Line(*table), rule_field + ".roles",
                  "missing: the roles allowed, e.g. [\"admin\"]");
      }
      out.push_back(std::move(rule));
    }
    return out;
  }

  const std::string path_;
  int guard_line_ = 0;
  std::map<std::string, int> lines_;  // field -> line, for FindProblem
};

// The [guard] table of a parsed file, if any.
Result<std::optional<GuardRules>> GuardRulesOf(const toml::table& parsed,
                                               const std::string& source) {
  const toml::node* guard = parsed.get("guard");
  if (guard == nullptr) return std::optional<GuardRules>();
  const toml::table* table = guard->as_table();
  if (table == nullptr) {
    return MakeError(ErrorCode::kValidationFailed,
                     "GATEHOUSE_CONFIG: " + source + " line " +
                         std::to_string(Line(*guard)) +
                         ": guard: must be a table ([guard]), not " +
                         std::string(TypeName(*guard)));
  }
  GH_ASSIGN_OR_RETURN(GuardRules rules, GuardReader(source).Read(*table));
  return std::optional<GuardRules>(std::move(rules));
}

Error ParseFailure(const toml::parse_error& err, const std::string& source) {
  std::string where = source;
  if (err.source().begin.line > 0) {
    where += " line " + std::to_string(err.source().begin.line);
  }
  return MakeError(
      ErrorCode::kValidationFailed,
      "GATEHOUSE_CONFIG: " + where + ": " + std::string(err.description()));
}

}  // namespace

Result<std::optional<GuardRules>> LoadGuardRules(const std::string& toml_path) {
  // Debian's toml++ is built with exceptions: a parse error (or a file
  // that cannot be opened) is thrown, and stops here.
  toml::table parsed;
  try {
    parsed = toml::parse_file(toml_path);
  } catch (const toml::parse_error& err) {
    return ParseFailure(err, toml_path);
  }
  return GuardRulesOf(parsed, toml_path);
}

Result<std::optional<GuardRules>> ParseGuardRules(
    std::string_view toml_text, const std::string& source_name) {
  toml::table parsed;
  try {
    parsed = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& err) {
    return ParseFailure(err, source_name);
  }
  return GuardRulesOf(parsed, source_name);
}

}  // namespace gatehouse
