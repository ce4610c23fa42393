import { z } from 'zod';
import { isoDateTime, userName } from './primitives';

/** Roles, each allowed everything the one before it may do (Jefferson Lab's Viewer … Admin). */
export const userRole = z.enum(['viewer', 'shift', 'labeler', 'expert', 'admin']);
export type UserRole = z.infer<typeof userRole>;

/** True when `role` includes everything `required` may do. */
export function roleAtLeast(role: UserRole, required: UserRole): boolean {
  return userRole.options.indexOf(role) >= userRole.options.indexOf(required);
}

/** What a labeler or expert may do with one plot type, granted per plot type by an admin. */
export const plotPermission = z.enum(['label', 'train', 'promote']);
export type PlotPermission = z.infer<typeof plotPermission>;

const password = z.string().min(10, 'passwords have at least 10 characters').max(256);

/** POST /api/auth/login */
export const loginDto = z.object({ name: userName, password: z.string().min(1).max(256) });
export type LoginDto = z.infer<typeof loginDto>;

/** PUT /api/auth/password: one's own password. */
export const passwordChangeDto = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: password,
});
export type PasswordChangeDto = z.infer<typeof passwordChangeDto>;

/** Who is signed in, and what they may do. */
export interface MeResponse {
  id: string;
  name: string;
  displayName: string | null;
  role: UserRole;
  /** How this request was authenticated. */
  via: 'session' | 'token' | 'proxy';
  /** Per plot type, beyond the role. */
  permissions: PlotPermissionGrant[];
  /** To send back in `X-CSRF-Token` on writes made with the session cookie. */
  csrfToken: string | null;
}

export interface PlotPermissionGrant {
  plotType: string;
  canLabel: boolean;
  canTrain: boolean;
  canPromote: boolean;
}

/** POST /api/users */
export const userCreateDto = z.object({
  name: userName.regex(
    /^[A-Za-z0-9][A-Za-z0-9_.@-]*$/,
    'user names are letters, digits, ".", "_", "@" or "-"',
  ),
  displayName: z.string().min(1).max(128).nullable().optional(),
  role: userRole,
  /** Absent: the account cannot log in with a password (trusted proxy, API tokens). */
  password: password.optional(),
});
export type UserCreateDto = z.infer<typeof userCreateDto>;

/** PATCH /api/users/:id */
export const userUpdateDto = z
  .object({
    displayName: z.string().min(1).max(128).nullable(),
    role: userRole,
    password,
    disabled: z.boolean(),
  })
  .partial();
export type UserUpdateDto = z.infer<typeof userUpdateDto>;

/** PUT /api/users/:id/permissions/:plotType */
export const plotPermissionDto = z.object({
  canLabel: z.boolean().default(false),
  canTrain: z.boolean().default(false),
  canPromote: z.boolean().default(false),
});
export type PlotPermissionDto = z.infer<typeof plotPermissionDto>;

export interface UserResponse {
  id: string;
  name: string;
  displayName: string | null;
  role: UserRole;
  disabled: boolean;
  hasPassword: boolean;
  createdAt: string;
  permissions: PlotPermissionGrant[];
}

/** POST /api/tokens: a machine client's token, acting as `user` (created without a password when new). */
export const tokenCreateDto = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'token names are 1–64 letters, digits, ".", "_" or "-"'),
  role: userRole,
  user: userName.optional(),
  expiresAt: isoDateTime.optional(),
});
export type TokenCreateDto = z.infer<typeof tokenCreateDto>;

export interface TokenResponse {
  id: string;
  name: string;
  user: string;
  role: UserRole;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** The reply to POST /api/tokens: the only time the secret is shown. */
export interface TokenCreatedResponse extends TokenResponse {
  token: string;
}
