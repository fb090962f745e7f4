// The paths of the auth API (SPEC §3), named once: the HTTP layer routes
// requests by them (http/handlers/auth_handlers.h), and `gatehouse doctor
// --live`, which may not reach into http/, calls them as a browser would
// (cli/doctor/live.h). Data only.
#ifndef GATEHOUSE_CORE_ROUTES_H_
#define GATEHOUSE_CORE_ROUTES_H_

namespace gatehouse {

inline constexpr char kRouteRegister[] = "/api/v1/auth/register";
inline constexpr char kRouteLogin[] = "/api/v1/auth/login";
inline constexpr char kRouteRefresh[] = "/api/v1/auth/refresh";
inline constexpr char kRouteLogout[] = "/api/v1/auth/logout";
inline constexpr char kRouteLogoutAll[] = "/api/v1/auth/logout-all";
inline constexpr char kRouteMe[] = "/api/v1/auth/me";

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_ROUTES_H_
