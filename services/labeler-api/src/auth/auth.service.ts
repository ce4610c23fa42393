import type { LoginDto, MeResponse, PasswordChangeDto } from '@hydra/contracts';
import { ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { parse as parseCookies } from 'cookie';
import type { IncomingHttpHeaders } from 'node:http';
import { type AuthConfig, LABELER_API_CONFIG, type LabelerApiConfig } from '../labeler-api.config';
import { AuthRepository, type CredentialRow } from './auth.repository';
import { randomSecret, secretHash, TOKEN_PREFIX } from './credentials';
import { hashPassword, verifyPassword } from './passwords';
import type { Principal } from './principal';
import { UserRepository } from './users/user.repository';

export const SESSION_COOKIE = 'hydra_session';

/** What a request (REST or the Socket.IO handshake) brings to prove who it is. */
export interface CredentialSource {
  headers: IncomingHttpHeaders;
  remoteAddress: string | undefined;
}

/** A new session: the cookie's secret and the CSRF token the web app sends back. */
export interface NewSession {
  secret: string;
  csrfToken: string;
  expiresAt: Date;
}

// A credential's last use is recorded at most this often, so reads do not turn into writes.
const TOUCH_INTERVAL_MS = 60_000;
// Compared against when the user does not exist, so a wrong name costs as long as a wrong password.
const DUMMY_HASH = hashPassword('not-a-password-of-anyone');

/** Who is calling: a bearer token, a session cookie or a trusted proxy's header, in that order. */
@Injectable()
export class AuthService {
  private readonly config: AuthConfig;

  constructor(
    private readonly repository: AuthRepository,
    private readonly users: UserRepository,
    @Inject(LABELER_API_CONFIG) config: LabelerApiConfig,
  ) {
    this.config = config.auth;
  }

  /** The caller, or null when the request carries no valid credential; a spoofed proxy header is a 403. */
  async authenticate(source: CredentialSource): Promise<Principal | null> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(source.headers.authorization ?? '')?.[1];
    if (bearer) return this.fromToken(bearer);
    const proxied = this.proxiedName(source);
    const cookie = parseCookies(source.headers.cookie ?? '')[SESSION_COOKIE];
    if (cookie) {
      const session = await this.repository.liveSession(secretHash(cookie));
      if (session) return this.principal(session, 'session', () => this.repository.touchSession(session.id));
    }
    if (proxied === undefined) return null;
    const user = await this.repository.proxyUser(proxied, this.config.proxyDefaultRole);
    if (user.disabled) return null;
    return {
      userId: user.id,
      name: user.name,
      role: user.role,
      via: 'proxy',
      credentialId: null,
      csrfToken: null,
    };
  }

  /** Checks the password and opens a session; the same 401 for an unknown name and a wrong password. */
  async login({ name, password }: LoginDto): Promise<NewSession> {
    const user = await this.repository.findUserByName(name);
    const valid = user?.passwordHash
      ? await verifyPassword(user.passwordHash, password)
      : await DUMMY_HASH.then(() => false);
    if (!user || !valid || user.disabled) throw new UnauthorizedException('wrong user name or password');
    const session = {
      secret: randomSecret(),
      csrfToken: randomSecret(),
      expiresAt: new Date(Date.now() + this.config.sessionTtlMs),
    };
    await this.repository.createSession(
      user.id,
      secretHash(session.secret),
      session.csrfToken,
      session.expiresAt,
    );
    return session;
  }

  async logout(principal: Principal): Promise<void> {
    if (principal.via === 'session' && principal.credentialId)
      await this.repository.revokeSession(principal.credentialId);
  }

  async me(principal: Principal): Promise<MeResponse> {
    const user = await this.users.findById(principal.userId);
    const permissions = await this.repository.permissions(principal.userId);
    return {
      id: principal.userId,
      name: principal.name,
      displayName: user?.displayName ?? null,
      role: principal.role,
      via: principal.via,
      permissions: permissions.map(({ plotType, canLabel, canTrain, canPromote }) => ({
        plotType,
        canLabel,
        canTrain,
        canPromote,
      })),
      csrfToken: principal.csrfToken,
    };
  }

  /** One's own password; every other session of the account ends. */
  async changePassword(
    principal: Principal,
    { currentPassword, newPassword }: PasswordChangeDto,
  ): Promise<void> {
    const user = await this.users.findById(principal.userId);
    if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword)))
      throw new ForbiddenException('the current password is wrong');
    await this.users.update(user.id, { passwordHash: await hashPassword(newPassword) });
    await this.users.revokeSessions(user.id, principal.via === 'session' ? principal.credentialId : null);
  }

  private async fromToken(token: string): Promise<Principal | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const row = await this.repository.liveToken(secretHash(token));
    return row && this.principal(row, 'token', () => this.repository.touchToken(row.id));
  }

  /** The proxy's user name; undefined when proxy log-in is off or the header is absent. */
  private proxiedName({ headers, remoteAddress }: CredentialSource): string | undefined {
    const { proxyHeader, trustedProxies } = this.config;
    if (!proxyHeader) return undefined;
    const value = headers[proxyHeader];
    if (value === undefined) return undefined;
    const address = remoteAddress?.replace(/^::ffff:/, '');
    if (!address || !trustedProxies.includes(address))
      throw new ForbiddenException(
        `the ${proxyHeader} header is accepted only from a configured trusted proxy`,
      );
    const name = Array.isArray(value) ? value[0] : value;
    if (!name || !/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/.test(name))
      throw new ForbiddenException(`the ${proxyHeader} header does not name a valid user`);
    return name;
  }

  private async principal(
    row: CredentialRow,
    via: 'session' | 'token',
    touch: () => Promise<void>,
  ): Promise<Principal> {
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) await touch();
    return {
      userId: row.userId,
      name: row.name,
      role: row.role,
      via,
      credentialId: row.id,
      csrfToken: row.csrfToken,
    };
  }
}
