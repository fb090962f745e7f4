#include "http/handlers/json_views.h"

namespace gatehouse {

boost::json::object UserJson(const User& u) {
  return {{"id", u.id}, {"email", u.email}, {"name", u.name}, {"role", u.role}};
}

boost::json::object AdminUserJson(const User& u) {
  boost::json::object out = UserJson(u);
  out["disabled"] = u.disabled;
  out["created_at"] = FormatIso8601(u.created_at);
  return out;
}

boost::json::object SessionJson(const Session& s) {
  return {{"id", s.id},
          {"created_at", FormatIso8601(s.created_at)},
          {"expires_at", FormatIso8601(s.expires_at)}};
}

boost::json::object DeviceJson(const Session& s, bool current) {
  return {{"id", s.id},
          {"created_at", FormatIso8601(s.created_at)},
          {"last_used_at", FormatIso8601(s.last_used_at)},
          {"expires_at", FormatIso8601(s.expires_at)},
          {"user_agent", s.user_agent},
          {"ip", s.ip},
          {"current", current}};
}

boost::json::object AuditJson(const AuditEvent& e) {
  return {{"id", e.id},
          {"at", FormatIso8601(e.at)},
          {"type", e.type},
          {"user_id", e.user_id},
          {"session_id", e.session_id},
          {"actor_id", e.actor_id},
          {"ip", e.ip},
          {"user_agent", e.user_agent},
          {"detail", e.detail}};
}

}  // namespace gatehouse
