'use client';

import { safeNextOr } from '@gatehouse/client';
import { useState, type FormEvent } from 'react';

import { LANDING_PATH } from '../../lib/routes';
import { useGatehouse } from '../gatehouse-provider';

export function LoginForm({ next }: { next: string | null }) {
  const { apiUrl } = useGatehouse();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function signIn(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      // A plain fetch: signing in needs no refresh logic. gatehouse sets
      // both cookies on its response; the page never sees a token.
      const response = await fetch(`${apiUrl}/api/v1/auth/login`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
      });
      if (response.ok) {
        // A full page load, so the middleware sees the new cookies; only
        // ever to a local path (`next` comes from the address bar).
        window.location.assign(safeNextOr(next, LANDING_PATH));
        return;
      }
      const body = (await response.json().catch(() => null)) as { message?: string } | null;
      setError(body?.message ?? `Sign-in failed (${response.status})`);
    } catch {
      // fetch rejects alike for a network failure and for a CORS refusal
      // (this page's origin missing from gatehouse's GATEHOUSE_TRUSTED_ORIGINS).
      setError('The sign-in service could not be reached. Try again in a moment.');
    }
    setBusy(false);
  }

  return (
    <form onSubmit={signIn}>
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error && <p role="alert">{error}</p>}
      <button type="submit" disabled={busy}>
        Sign in
      </button>
    </form>
  );
}
