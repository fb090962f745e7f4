'use client';

// Gives client components gatehouse's origin and the app's one
// createAuthFetch instance. One instance matters: the calls that share it
// also share a single refresh when the access token has expired.
import { createAuthFetch, type AuthFetch } from '@gatehouse/client';
import { createContext, useContext, useState, type ReactNode } from 'react';

import { LOGIN_PATH } from '../lib/routes';

interface Gatehouse {
  /** gatehouse's public origin, e.g. https://api.example.com. */
  apiUrl: string;
  /** fetch with the auth cookies and a silent refresh; relative URLs go to apiUrl. */
  authFetch: AuthFetch;
}

const GatehouseContext = createContext<Gatehouse | null>(null);

export function GatehouseProvider({ apiUrl, children }: { apiUrl: string; children: ReactNode }) {
  const [gatehouse] = useState<Gatehouse>(() => {
    let instance: AuthFetch | undefined;
    // Made on the first call, which only ever happens in the browser
    // (effects, clicks): server rendering never needs one.
    const authFetch: AuthFetch = (input, init) =>
      (instance ??= createAuthFetch({ baseUrl: apiUrl, loginPath: LOGIN_PATH }))(input, init);
    return { apiUrl, authFetch };
  });
  return <GatehouseContext.Provider value={gatehouse}>{children}</GatehouseContext.Provider>;
}

export function useGatehouse(): Gatehouse {
  const gatehouse = useContext(GatehouseContext);
  if (!gatehouse) throw new Error('useGatehouse needs a GatehouseProvider above it');
  return gatehouse;
}
