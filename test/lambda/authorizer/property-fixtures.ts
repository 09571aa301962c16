/** The fixtures the property tests use (re-exported, plus a plain in-memory audit log: 10,000 decisions). */
import { MemoryAuditLog } from '../../../lambda/authorizer/audit';
import { testAuditLog } from './fixtures';

export { API_PREFIX, iamAllows, issueToken, NOW, settingsWith } from './fixtures';

/** The audit log of a property run; in the canary run it also goes through the real JSON-lines audit log. */
export function MemoryAuditLogFor(): MemoryAuditLog {
  return testAuditLog();
}
