#include "http/router.h"

namespace gatehouse {
namespace {

// Matches `path` against `pattern` segment by segment, collecting the
// values of {placeholders}. An empty placeholder value never matches.
bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::vector<std::string>& params) {
  params.clear();
  while (!pattern.empty() && !path.empty()) {
    size_t p_end = pattern.find('/', 1);
    size_t s_end = path.find('/', 1);
    std::string_view p_seg = pattern.substr(0, p_end);
    std::string_view s_seg = path.substr(0, s_end);
    if (p_seg.size() > 2 && p_seg[1] == '{' && p_seg.back() == '}') {
      if (s_seg.size() <= 1) return false;
      params.emplace_back(s_seg.substr(1));
    } else if (p_seg != s_seg) {
      return false;
    }
    pattern = p_end == std::string_view::npos ? "" : pattern.substr(p_end);
    path = s_end == std::string_view::npos ? "" : path.substr(s_end);
  }
  return pattern.empty() && path.empty();
}

}  // namespace

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

RouteMatch Router::Find(bhttp::verb method, std::string_view path) const {
  RouteMatch match;
  std::vector<std::string> params;
  // Every request takes this path: routes of other methods are skipped
  // without matching their patterns, and nothing is allocated for the
  // Allow header unless it is needed.
  for (const Route& route : routes_) {
    if (route.method != method || !MatchPattern(route.pattern, path, params))
      continue;
    match.route = &route;
    match.params = std::move(params);
    match.path_exists = true;
    return match;
  }
  // No route for this method: 405 with Allow if the path has others.
  for (const Route& route : routes_) {
    if (!MatchPattern(route.pattern, path, params)) continue;
    match.path_exists = true;
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += std::string(bhttp::to_string(route.method));
  }
  return match;
}

}  // namespace gatehouse
