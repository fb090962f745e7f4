import { headers } from 'next/headers';
import Link from 'next/link';

import { SignOutButton } from '../sign-out-button';

// The middleware's rule `{ prefix: '/admin', roles: ['admin'] }` lets only
// admins render this page; anyone else gets 403 before it runs.
export default async function AdminPage() {
  const h = await headers();
  return (
    <main>
      <header>
        <h1>Admin</h1>
        <SignOutButton />
      </header>
      <p>
        Signed in as user {h.get('x-auth-user-id')} with role {h.get('x-auth-role')}.
      </p>
      <p>
        <Link href="/dashboard">Back to the dashboard</Link>
      </p>
    </main>
  );
}
