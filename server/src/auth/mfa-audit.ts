// Security events written to the audit chain from inside an operation, beside the row the audit
// plugin writes for every mutation: they carry what the plugin cannot see (the user behind an MFA
// challenge, which factor was used, why a code was refused). A failed write is logged, never thrown:
// the event must not change the operation's outcome.
import type { Context } from '../graphql/context.js';
import { appendAudit, type AuditResult } from '../modules/audit/audit.service.js';

export interface SecurityEvent {
  action: string;
  result: AuditResult;
  actorId?: string | null;
  organizationId?: string | null;
  targetType?: string;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

export async function recordSecurityEvent(ctx: Context, event: SecurityEvent): Promise<void> {
  try {
    await appendAudit(ctx.em, [
      {
        action: event.action,
        result: event.result,
        actorId: event.actorId ?? ctx.viewer?.id ?? null,
        organizationId: event.organizationId ?? null,
        targetType: event.targetType ?? 'user',
        targetId: event.targetId ?? event.actorId ?? ctx.viewer?.id ?? null,
        ip: ctx.req?.ip ?? ctx.req?.socket.remoteAddress ?? null,
        userAgent: ctx.req?.headers['user-agent'] ?? null,
        details: event.details ?? {},
      },
    ]);
  } catch (err) {
    ctx.log.error({ err, action: event.action }, 'could not append a security event to the audit log');
  }
}
