import { redirect } from 'next/navigation';

import { LANDING_PATH } from '../lib/routes';

export default function Home() {
  redirect(LANDING_PATH);
}
