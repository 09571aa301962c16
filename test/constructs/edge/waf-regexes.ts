import type { Template } from 'aws-cdk-lib/assertions';

/** Every RegexString anywhere in a template (web ACL statements, at any depth). */
export function regexStringsOf(template: Template): string[] {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'RegexString' && typeof x === 'string') found.push(x);
        else if (k === 'RegularExpressionList' && Array.isArray(x)) found.push(...x.map((r: any) => String(r.RegexString ?? r)));
        else walk(x);
      }
    }
  };
  walk(template.toJSON());
  return found;
}
