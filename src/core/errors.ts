/**
 * A UserError is an expected problem the person can fix: it prints what happened and what to do
 * next, without a stack. Anything else that escapes a command is a bug (see cli.ts).
 */
export class UserError extends Error {
  readonly code: string;
  readonly next: string | undefined;
  readonly exitCode: number;

  constructor(message: string, options: { next?: string; code?: string; exitCode?: number } = {}) {
    super(message);
    this.name = 'UserError';
    this.code = options.code ?? 'USER_ERROR';
    this.next = options.next;
    this.exitCode = options.exitCode ?? 2;
  }
}

export const isUserError = (error: unknown): error is UserError => error instanceof UserError;
