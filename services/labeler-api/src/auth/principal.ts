import type { UserRole } from '@hydra/contracts';

/** Who a request comes from, once authenticated: a person or the account a machine token acts as. */
export interface Principal {
  userId: string;
  /** The actor recorded by every write. */
  name: string;
  role: UserRole;
  via: 'session' | 'token' | 'proxy';
  /** The session or token behind the request. */
  credentialId: string | null;
  /** The session's CSRF token (sessions only). */
  csrfToken: string | null;
}
