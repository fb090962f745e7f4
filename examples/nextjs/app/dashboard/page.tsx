import { headers } from 'next/headers';
import Link from 'next/link';

import { SignOutButton } from '../sign-out-button';
import { AccountPanel } from './account-panel';
import { ConcurrentCalls } from './concurrent-calls';

export default async function DashboardPage() {
  // Set by the middleware from the verified access token; it removes any
  // x-auth-* header a browser sends itself.
  const h = await headers();
  const role = h.get('x-auth-role');
  return (
    <main>
      <header>
        <h1>Dashboard</h1>
        <SignOutButton />
      </header>
      <dl aria-label="Signed in">
        <dt>User id</dt>
        <dd>{h.get('x-auth-user-id')}</dd>
        <dt>Role</dt>
        <dd>{role}</dd>
        <dt>Session</dt>
        <dd>{h.get('x-auth-session-id')}</dd>
      </dl>
      {role === 'admin' && (
        <p>
          <Link href="/admin">Admin area</Link>
        </p>
      )}
      <AccountPanel />
      <ConcurrentCalls />
    </main>
  );
}
