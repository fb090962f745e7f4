// The middleware's decision table: public prefixes, role rules and the
// login page, with the semantics of gatehouse's edge guard (SPEC §7,
// src/core/guard_policy.h) so one rule set means the same at the proxy
// and in the app:
//  - a prefix covers whole path segments: `/admin` covers `/admin`,
//    `/admin/` and `/admin/x`, not `/administrator`; `/` covers all;
//  - public prefixes and rule prefixes compete by length, the longest
//    covering prefix wins whatever its kind (so either can carve an
//    exception out of the other); a path no prefix covers is open;
//  - a rule needs a signed-in user (else login-required) with one of its
//    roles (else forbidden);
//  - a signed-in user on the login page itself (`/auth` or `/auth/`, not
//    `/auth/x`) is sent to the landing page. The caller passes a role only
//    for a verified session (F8), never for a mere cookie;
//  - rule prefixes match ASCII case-insensitively (some servers route
//    `/ADMIN` to `/admin`), public prefixes and the login path exactly:
//    protecting more is the safe direction, opening more is not;
//  - every reading of a path is judged and the strictest verdict wins; a
//    path that cannot be read safely (see path-readings.ts) is 'forbidden'
//    whoever asks, as the edge guard answers it 403.

import { pathReadings } from './path-readings.js';

export interface RoleRule {
  /** A path prefix in normal form, e.g. `/admin`. */
  prefix: string;
  /** The roles allowed under it (the JWT `role` claim); at least one. */
  roles: readonly string[];
}

export interface RouteRulesConfig {
  loginPath: string;
  landingPath: string;
  publicPaths: readonly string[];
  rules: readonly RoleRule[];
}

export type RouteDecision =
  | 'allow'
  | 'login-required'
  | 'forbidden'
  | 'send-to-landing';

interface Matcher {
  prefix: string; // no trailing '/', except "/"
  isPublic: boolean;
  roles: readonly string[];
  field: string; // "publicPaths[0]", "rules[1]": for messages
}

/** True iff `prefix` covers `path` by whole segments. */
export function coversPath(prefix: string, path: string, ignoreCase = false): boolean {
  const bare = stripTrailingSlash(prefix);
  if (bare === '/') return path.startsWith('/');
  const head = path.slice(0, bare.length);
  const same = ignoreCase ? head.toLowerCase() === bare.toLowerCase() : head === bare;
  return same && (path.length === bare.length || path[bare.length] === '/');
}

function stripTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function severity(decision: RouteDecision): number {
  switch (decision) {
    case 'allow':
      return 0;
    case 'send-to-landing':
      return 1;
    case 'login-required':
    case 'forbidden':
      return 2;
  }
}

/** Thrown by RouteRules.create: the message names the option and the problem. */
export class RouteRulesError extends Error {
  override name = 'RouteRulesError';
}

export class RouteRules {
  readonly loginPath: string;
  readonly landingPath: string;
  private readonly matchers: readonly Matcher[]; // longest prefix first
  private readonly loginMatch: string;

  private constructor(config: RouteRulesConfig, matchers: Matcher[]) {
    this.loginPath = config.loginPath;
    this.landingPath = config.landingPath;
    this.matchers = matchers;
    this.loginMatch = stripTrailingSlash(config.loginPath);
  }

  /**
   * Validates `config` so that a rule set that exists cannot loop: paths
   * in normal form, no prefix given twice, roles non-empty, the login page
   * open to the signed-out, the landing page not the login page.
   */
  static create(config: RouteRulesConfig): RouteRules {
    checkPath('loginPath', config.loginPath);
    checkPath('landingPath', config.landingPath);
    if (stripTrailingSlash(config.landingPath) === stripTrailingSlash(config.loginPath)) {
      throw new RouteRulesError(
        'landingPath must differ from loginPath: a signed-in user on the login page ' +
          'is sent to the landing page, so one page for both is a redirect loop',
      );
    }
    const matchers: Matcher[] = [];
    const add = (matcher: Matcher) => {
      const clash = matchers.find(
        (other) => other.prefix.toLowerCase() === matcher.prefix.toLowerCase(),
      );
      if (clash) {
        throw new RouteRulesError(
          `${matcher.field}: '${matcher.prefix}' is already the prefix of ${clash.field}`,
        );
      }
      matchers.push(matcher);
    };
    config.publicPaths.forEach((prefix, i) => {
      const field = `publicPaths[${i}]`;
      checkPath(field, prefix);
      add({ prefix: stripTrailingSlash(prefix), isPublic: true, roles: [], field });
    });
    config.rules.forEach((rule, i) => {
      const field = `rules[${i}]`;
      checkPath(`${field}.prefix`, rule.prefix);
      if (rule.roles.length === 0 || rule.roles.some((role) => role === '')) {
        throw new RouteRulesError(`${field}.roles: name at least one role, none empty`);
      }
      add({ prefix: stripTrailingSlash(rule.prefix), isPublic: false, roles: [...rule.roles], field });
    });
    // Stable sort: equal lengths never compete (equal prefixes were refused).
    matchers.sort((a, b) => b.prefix.length - a.prefix.length);
    const rules = new RouteRules(config, matchers);
    if (rules.decideOne(rules.loginMatch, null) !== 'allow') {
      throw new RouteRulesError(
        `loginPath '${config.loginPath}' is protected by a rule, so the signed-out, ` +
          'who are sent there, could never load it (a redirect loop); add it to publicPaths',
      );
    }
    return rules;
  }

  /**
   * The strictest verdict over every reading of `pathname` (see
   * pathReadings); 'forbidden' for a path that is rejected.
   */
  decide(pathname: string, role: string | null): RouteDecision {
    const readings = pathReadings(pathname);
    if (readings === null) return 'forbidden';
    let strictest: RouteDecision = 'allow';
    for (const reading of readings) {
      const decision = this.decideOne(reading, role);
      if (severity(decision) > severity(strictest)) strictest = decision;
    }
    return strictest;
  }

  /**
   * True iff every reading of `pathname` is covered by a public prefix and
   * none is the login page: such a request needs no session at all.
   */
  isPublic(pathname: string): boolean {
    const readings = pathReadings(pathname);
    if (readings === null) return false;
    return readings.every((reading) => {
      if (stripTrailingSlash(reading) === this.loginMatch) return false;
      return this.winner(reading)?.isPublic === true;
    });
  }

  private winner(path: string): Matcher | undefined {
    return this.matchers.find((m) => coversPath(m.prefix, path, !m.isPublic));
  }

  private decideOne(path: string, role: string | null): RouteDecision {
    if (!path.startsWith('/')) return role === null ? 'login-required' : 'forbidden';
    if (role !== null && stripTrailingSlash(path) === this.loginMatch) return 'send-to-landing';
    const matcher = this.winner(path);
    if (!matcher || matcher.isPublic) return 'allow';
    if (role === null) return 'login-required';
    return matcher.roles.includes(role) ? 'allow' : 'forbidden';
  }
}

function checkPath(field: string, value: string): void {
  if (!value.startsWith('/')) {
    throw new RouteRulesError(`${field} must start with '/', not '${value}'`);
  }
  const readings = pathReadings(value);
  if (readings === null || readings.length !== 1 || readings[0] !== value) {
    throw new RouteRulesError(
      `${field} must be a path in normal form (no query, '.', '..', '//', ';', '\\', ` +
        `'%25', escapes of plain characters or a segment ending in '.' or a space), ` +
        `not '${value}'`,
    );
  }
}
