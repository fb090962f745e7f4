// How records appear in API responses. One place, so a user looks the
// same in every endpoint, and nothing secret (password hashes, token
// hashes) can slip into a response.
#ifndef GATEHOUSE_HTTP_HANDLERS_JSON_VIEWS_H_
#define GATEHOUSE_HTTP_HANDLERS_JSON_VIEWS_H_

#include <boost/json.hpp>

#include "core/model.h"

namespace gatehouse {

// {id, email, name, role}
boost::json::object UserJson(const User& user);
// {id, email, name, role, disabled, created_at}: for administrators.
boost::json::object AdminUserJson(const User& user);
// {id, created_at, expires_at}
boost::json::object SessionJson(const Session& session);
// {id, created_at, last_used_at, expires_at, user_agent, ip, current}
boost::json::object DeviceJson(const Session& session, bool current);
// {id, at, type, user_id, session_id, actor_id, ip, user_agent, detail}
boost::json::object AuditJson(const AuditEvent& event);

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_HANDLERS_JSON_VIEWS_H_
