'use client';

// Five API calls at once, through the one createAuthFetch: when the access
// token has expired they all get 401, and share ONE refresh before each is
// retried. Leave the page open past the token's lifetime, then press it.
import { useState } from 'react';

import { useGatehouse } from '../gatehouse-provider';

const CALLS = 5;

export function ConcurrentCalls() {
  const { authFetch } = useGatehouse();
  const [statuses, setStatuses] = useState<number[] | null>(null);

  async function callAtOnce() {
    setStatuses(null);
    const responses = await Promise.all(
      Array.from({ length: CALLS }, () => authFetch('/api/v1/auth/me')),
    );
    setStatuses(responses.map((r) => r.status));
  }

  return (
    <section aria-labelledby="calls-heading">
      <h2 id="calls-heading">Concurrent calls</h2>
      <button type="button" onClick={callAtOnce}>
        Call the API {CALLS} times at once
      </button>
      {statuses && <p role="status">Answers: {statuses.join(', ')}</p>}
    </section>
  );
}
