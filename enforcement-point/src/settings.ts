/**
 * The enforcement point's settings: the compact policy the deployment passes in the container
 * environment (`PEP_POLICY`, JSON), validated here once at start. The deployment builds it from the
 * validated config (lib/constructs/service/enforcement-point-container.ts), so a problem here means
 * a hand-edited task definition: the process refuses to start rather than guess.
 */
import { z } from 'zod';
import { TOOL_PATTERN, type ToolPolicySettings } from './policy';

/** The port the enforcement point listens on by default (the image's `PORT`); the load balancer's target. */
export const ENFORCEMENT_POINT_PORT = 18080;

const NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const PATH = /^\/[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/;

/** The schema of `PEP_POLICY`. */
export const EnforcementPointSettingsSchema = z.object({
  readPermission: z.string().regex(NAME),
  writePermission: z.string().regex(NAME),
  tools: z.record(z.string().regex(TOOL_PATTERN), z.string().regex(NAME)),
  methods: z.record(z.string().regex(/^[a-z][A-Za-z/_-]{0,63}$/), z.string().regex(NAME)),
  readOnly: z.boolean(),
  /** Write tool calls per agent per minute in this task; absent: no local limit. */
  writesPerMinute: z.number().int().min(1).optional(),
  /** The MCP endpoint's paths. */
  mcpPaths: z.array(z.string().regex(PATH)).min(1),
  /** The longest streaming answer in seconds (`service.streamingTimeoutSeconds`); sets the keep-alive. */
  streamingTimeoutSeconds: z.number().int().min(1).max(3600).optional(),
  /** The unauthenticated health path, forwarded unchecked even inside an MCP path (WORK-2). */
  healthPath: z.string().regex(/^\/[A-Za-z0-9._\/-]*$/).optional(),
}).strict();

/** The validated settings. */
export type EnforcementPointSettings = z.output<typeof EnforcementPointSettingsSchema> & ToolPolicySettings;

/** Parses `PEP_POLICY`; throws one line naming the problem. */
export function parseSettings(json: string | undefined): EnforcementPointSettings {
  if (!json) throw new Error('PEP_POLICY must hold the policy as JSON, got nothing');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error('PEP_POLICY must be JSON');
  }
  const parsed = EnforcementPointSettingsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`PEP_POLICY.${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
