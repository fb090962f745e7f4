'use client';

import { LOGIN_PATH } from '../lib/routes';
import { useGatehouse } from './gatehouse-provider';

export function SignOutButton() {
  const { authFetch } = useGatehouse();

  async function signOut() {
    // gatehouse ends this session and clears both cookies in its answer;
    // it answers 200 even when the session had already ended.
    await authFetch('/api/v1/auth/logout', { method: 'POST' }).catch(() => undefined);
    window.location.assign(LOGIN_PATH);
  }

  return (
    <button type="button" onClick={signOut}>
      Sign out
    </button>
  );
}
