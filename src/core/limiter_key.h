// LimiterKey: the key a per-client limit counts an address under.
//
// An IPv6 client is usually given a whole /64 (one home, phone or server
// subnet; RFC 6177) and may send from any address in it, so counting each
// address apart would let one client take a fresh key for every attempt.
// The per-IP limits of SPEC §10 (failed sign-ins, open connections)
// therefore count an IPv6 client by its /64 and an IPv4 client by its
// address. Both limits compute their key here, so they agree on who a
// client is.
#ifndef GATEHOUSE_CORE_LIMITER_KEY_H_
#define GATEHOUSE_CORE_LIMITER_KEY_H_

#include <string>
#include <string_view>

namespace gatehouse {

// The limiter key of the textual address `ip`:
// - IPv4: the address, in dotted decimal ("203.0.113.7");
// - IPv6: its /64 network, written "2001:db8:1:2::/64";
// - IPv4-mapped IPv6 ("::ffff:203.0.113.7", a dual-stack socket's view of
//   an IPv4 peer): the IPv4 address it maps, so both spellings count once;
// - a zone ("fe80::1%eth0") is kept after the key ("fe80::/64%eth0"):
//   every link-local peer has fe80::/64, and only the zone tells links
//   apart.
// Anything else (empty, a host name, garbage) is returned unchanged: it is
// its own key. Pure and thread-safe.
std::string LimiterKey(std::string_view ip);

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_LIMITER_KEY_H_
