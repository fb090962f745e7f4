import { LoginForm } from './login-form';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

// gatehouse's edge guard sends a browser here with this reason after it
// broke a redirect loop by signing the browser out.
const REDIRECT_LOOP = 'redirect-loop';

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const { next, reason } = await searchParams;
  return (
    <main>
      <h1>Sign in</h1>
      {reason === REDIRECT_LOOP && (
        <p role="status" className="notice">
          Signing in had stopped working in this browser, so it was signed out to repair it. Sign
          in again to continue.
        </p>
      )}
      <LoginForm next={typeof next === 'string' ? next : null} />
    </main>
  );
}
