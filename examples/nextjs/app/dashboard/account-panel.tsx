'use client';

// The account and its devices, as the API reports them: fetched from the
// browser with the app's createAuthFetch.
import { useCallback, useEffect, useState } from 'react';

import { dataOf, type Session, type User } from '../../lib/api';
import { useGatehouse } from '../gatehouse-provider';

export function AccountPanel() {
  const { authFetch } = useGatehouse();
  const [user, setUser] = useState<User | null>(null);
  const [sessions, setSessions] = useState<Session[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [me, list] = await Promise.all([
        authFetch('/api/v1/auth/me').then((r) => dataOf<{ user: User }>(r)),
        authFetch('/api/v1/auth/sessions').then((r) => dataOf<{ sessions: Session[] }>(r)),
      ]);
      setUser(me.user);
      setSessions(list.sessions);
      setError(null);
    } catch (e) {
      setError(`The API answered ${(e as Error).message}`);
    }
  }, [authFetch]);

  useEffect(() => {
    void load();
  }, [load]);

  async function signOutDevice(id: string) {
    const response = await authFetch(`/api/v1/auth/sessions/${encodeURIComponent(id)}`, {
      method: 'DELETE',
    });
    if (!response.ok) setError(`Signing that device out failed (${response.status})`);
    await load();
  }

  return (
    <section aria-labelledby="account-heading">
      <h2 id="account-heading">Your account</h2>
      {error && <p role="alert">{error}</p>}
      {user && <p>{user.name ? `${user.name} <${user.email}>` : user.email}</p>}
      <ul aria-label="Signed-in devices">
        {sessions.map((s) => (
          <li key={s.id} data-session-id={s.id}>
            <span className="device">{s.user_agent || 'Unknown device'}</span>
            <span className="muted">
              from {s.ip}, last active {new Date(s.last_used_at).toLocaleString()}
            </span>
            {s.current ? (
              <strong>This device</strong>
            ) : (
              <button type="button" onClick={() => signOutDevice(s.id)}>
                Sign out this device
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
