// Printing URLs that may carry credentials: GATEHOUSE_DATABASE_URL
// (postgres://user:password@host/db?sslpassword=...), mail server URLs
// (smtp://user:password@host:587), and any URL an operator typed into a
// setting. Every place that prints or logs such a URL (`config print`,
// start-up errors, the doctor) passes it through RedactUrl first.
//
// The reading is deliberately suspicious, as the text may be mistyped:
// when two readings of a URL are possible, whatever either could take for
// a secret is hidden. A password with '@', ':', '/', '?' or '#' left
// unencoded is still hidden whole.
#ifndef GATEHOUSE_CORE_URL_REDACTION_H_
#define GATEHOUSE_CORE_URL_REDACTION_H_

#include <string>
#include <string_view>

namespace gatehouse {

// What stands in for each hidden part.
inline constexpr std::string_view kRedacted = "(redacted)";

// `url` as it may be shown: every credential replaced by kRedacted, the
// rest kept, so the reader still sees which server, database and options
// it names. Hidden are:
//  - the password of the userinfo: everything between the first ':' after
//    the scheme's "//" and the LAST '@' (so "gh:p@ss@db" shows as
//    "gh:(redacted)@db"); the user name stays, unless it equals the
//    password (one token used as both) or cannot be told from a host;
//  - the value of every query parameter whose name (percent-decoded, in
//    any case) contains "password", "passwd", "secret" or "token", or is
//    "pass" or "pwd" ("password", "sslpassword"; not "passfile", a path);
//    a parameter without '=' is hidden whole;
//  - in a libpq keyword/value string ("host=db password='x y'"), the value
//    of each such keyword, and any value that itself holds a credential.
// A text with no scheme ("gh:pw@db") is read as the part after "//".
// Pure; never fails.
std::string RedactUrl(std::string_view url);

// The scheme `url` starts with ("postgres" for "postgres://..."), as
// written, or "" if it does not start with a scheme followed by "://".
// A scheme is a letter, then letters, digits, '+', '-' or '.', at most 32
// characters, so it never holds the rest of the URL and is safe to print.
std::string UrlScheme(std::string_view url);

// True if `url` has a password in its userinfo (as RedactUrl reads it)
// and that userinfo holds '@', '/', '?' or '#' not percent-encoded.
// Parsers then disagree on where the userinfo ends (libpq ends it at the
// first '@', or finds none before a '/'), and would take part of the
// password for the host or port and quote it in their errors.
bool HasUnencodedUserinfo(std::string_view url);

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_URL_REDACTION_H_
