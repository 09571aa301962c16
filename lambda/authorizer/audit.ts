/**
 * Audit events (AUDIT-1, AUDIT-2, AUTH-7): one JSON line per authorization decision, with who, what,
 * where from and why, and never a credential. Free text a client controls (user agent, path) is
 * bounded and scrubbed of anything shaped like a token, so even a client that pastes its token into
 * its User-Agent does not put it in the log.
 */

/** The two audit event names. */
export type AuditEventName = 'auth.allow' | 'auth.deny';

/** What the gateway answers: 200 onward, 403, or 401. */
export type AuditDecision = 'allow' | 'deny' | 'unauthorized';

/** One authorization decision. */
export interface AuditEvent {
  /** ISO-8601 instant of the decision. */
  readonly timestamp: string;
  readonly event: AuditEventName;
  readonly decision: AuditDecision;
  /** A reason code: `permitted`, `not_permitted`, `token_unknown`, `credential_in_query`, … */
  readonly reason: string;
  readonly credentialType?: 'opaque' | 'jwt';
  /** Where a credential was read from or refused (`authorization`, `query:token`); never its value. */
  readonly credentialSource?: string;
  readonly agentId?: string;
  readonly agentType?: string;
  readonly tokenId?: string;
  readonly role?: string;
  readonly permissions?: string;
  readonly route: { readonly method: string; readonly path: string };
  readonly sourceIp?: string;
  readonly userAgent?: string;
  readonly requestId?: string;
  readonly stage?: string;
}

/** Where audit events and operational problems go. */
export interface AuditLog {
  /** Records one decision. Must not throw. */
  decision(event: AuditEvent): void;
  /** Records an operational problem (SSM or KMS failure, a skipped record). Must not throw. */
  problem(code: string, details: Readonly<Record<string, string | number | undefined>>): void;
}

/** Writes one line; Lambda sends each stdout line to CloudWatch Logs. */
export type LineWriter = (line: string) => void;

/** The service name on every line, as a structured logger would set it. */
export const AUDIT_SERVICE = 'mcp-perimeter-authorizer';

/**
 * Audit events as JSON lines on stdout, which Lambda delivers to the authorizer's CloudWatch log group.
 * The shape is a structured logger's (`level`, `message`, `timestamp`, `service`, `xray_trace_id`, then
 * the event's fields at the top level, where the metric filters read `$.event` and `$.decision`).
 *
 * Written by hand rather than through Powertools' Logger: on the per-request path Powertools cost about
 * 15 µs a line here (attribute merging, empty-key removal, environment reads, console formatting),
 * twice the decision itself, and the opaque-token budget is 20 µs at p50. This is one `JSON.stringify`.
 */
export class JsonLinesAuditLog implements AuditLog {
  /** @param write where lines go. @default - process.stdout */
  constructor(private readonly write: LineWriter = (line) => { process.stdout.write(line); }) {}

  decision(event: AuditEvent): void {
    this.line('INFO', event.event, event.timestamp, event);
  }

  problem(code: string, details: Readonly<Record<string, string | number | undefined>>): void {
    this.line('WARN', code, new Date().toISOString(), { ...details, event: code });
  }

  private line(level: 'INFO' | 'WARN', message: string, timestamp: string, fields: object): void {
    try {
      const trace = process.env._X_AMZN_TRACE_ID;
      this.write(`${JSON.stringify({
        level,
        message,
        timestamp,
        service: AUDIT_SERVICE,
        xray_trace_id: trace ? trace.split(';')[0].replace(/^Root=/, '') : undefined,
        ...fields,
      })}\n`);
    } catch {
      // An audit line that cannot be written must not turn a decision into a 500 (AuditLog: must not throw).
    }
  }
}

/** An in-memory audit log (tests, benches and the local perimeter). */
export class MemoryAuditLog implements AuditLog {
  readonly decisions: AuditEvent[] = [];
  readonly problems: { code: string; details: Readonly<Record<string, string | number | undefined>> }[] = [];

  decision(event: AuditEvent): void {
    this.decisions.push(event);
  }

  problem(code: string, details: Readonly<Record<string, string | number | undefined>>): void {
    this.problems.push({ code, details });
  }
}

const REDACTED = '[redacted]';
const JWT_LIKE = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*)?/g;

/**
 * Makes client-controlled text safe for the audit log: the presented credential, anything starting with
 * the token prefix and anything shaped like a JWT replaced, control characters removed, length bounded.
 */
export class TextScrubber {
  private readonly prefixed: RegExp;

  constructor(tokenPrefix: string) {
    this.prefixed = new RegExp(`${tokenPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[A-Za-z0-9_-]*`, 'g');
  }

  /** The scrubbed text, at most `maxLength` characters (and an ellipsis); undefined stays undefined. */
  scrub(text: string | undefined | null, maxLength: number, credential?: string): string | undefined {
    if (text === undefined || text === null) return undefined;
    let out = text.replace(CONTROL, '');
    if (credential && credential.length >= 8 && out.includes(credential)) out = out.split(credential).join(REDACTED);
    out = out.replace(this.prefixed, REDACTED).replace(JWT_LIKE, REDACTED);
    return out.length > maxLength ? `${out.slice(0, maxLength)}…` : out;
  }
}

const CONTROL = /[\u0000-\u001f\u007f]/g;
