// The app's pages that the sign-in flow refers to, shared by the
// middleware and the pages so they cannot drift apart.

export const LOGIN_PATH = '/login';
export const LANDING_PATH = '/dashboard';
