// Reading gatehouse's JSON envelope: {"success", "message", "code"?, "data"?}.

export interface User {
  id: string;
  email: string;
  name: string;
  role: string;
}

export interface Session {
  id: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
  user_agent: string;
  ip: string;
  current: boolean;
}

/** The envelope's `data`, or an Error naming the status and code. */
export async function dataOf<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => null)) as {
    data?: T;
    code?: string;
    message?: string;
  } | null;
  if (!response.ok || !body?.data) {
    throw new Error(`${response.status} ${body?.code ?? ''} ${body?.message ?? ''}`.trim());
  }
  return body.data;
}
