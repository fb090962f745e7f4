import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';

import { gatehousePublicUrl } from '../lib/gatehouse-env';
import { GatehouseProvider } from './gatehouse-provider';
import './globals.css';

export const metadata: Metadata = { title: 'gatehouse + Next.js' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request, so that the API origin handed to the browser is
  // this server's setting now, not whatever was set during `next build`
  // (which is what a NEXT_PUBLIC_ variable would give).
  await connection();
  return (
    <html lang="en">
      <body>
        <GatehouseProvider apiUrl={gatehousePublicUrl()}>{children}</GatehouseProvider>
      </body>
    </html>
  );
}
