/**
 * Reads the cloud assembly's `validation-report.json` (written by CDK whenever validation plugins are
 * registered, before it decides whether synthesis fails). A plugin with nothing to report (no violation,
 * no acknowledged one) is absent from it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** The file name CDK writes into the assembly directory. */
export const VALIDATION_REPORT_FILE = 'validation-report.json';

const ViolatingConstructSchema = z.looseObject({
  constructPath: z.string().optional(),
  constructFqn: z.string().optional(),
  stackTraces: z.array(z.string()).optional(),
});

const ViolationSchema = z.looseObject({
  ruleName: z.string(),
  description: z.string().default(''),
  severity: z.string().default('error'),
  violatingConstructs: z.array(ViolatingConstructSchema).default([]),
});

const SuppressedViolationSchema = ViolationSchema.extend({
  acknowledgedId: z.string(),
  reason: z.string().default(''),
  acknowledgedAt: z.string().default(''),
  acknowledgedStackTrace: z.string().optional(),
});

const PluginReportSchema = z.looseObject({
  pluginName: z.string(),
  pluginVersion: z.string().optional(),
  conclusion: z.enum(['success', 'failure']),
  violations: z.array(ViolationSchema).default([]),
  suppressedViolations: z.array(SuppressedViolationSchema).optional(),
});

const ValidationReportSchema = z.looseObject({
  version: z.string().optional(),
  title: z.string().optional(),
  pluginReports: z.array(PluginReportSchema),
});

/** One violation in CDK's validation report. */
export type ValidationViolation = z.infer<typeof ViolationSchema>;
/** One acknowledged violation in CDK's validation report. */
export type SuppressedViolation = z.infer<typeof SuppressedViolationSchema>;
/** One plugin's part of CDK's validation report. */
export type PluginReport = z.infer<typeof PluginReportSchema>;
/** CDK's validation report. */
export type ValidationReport = z.infer<typeof ValidationReportSchema>;

/** The validation report cannot be read: the message names the file and the field. */
export class ValidationReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationReportError';
  }
}

/** Validates a parsed validation report. @throws ValidationReportError naming the bad field. */
export function parseValidationReport(input: unknown, source = VALIDATION_REPORT_FILE): ValidationReport {
  const result = ValidationReportSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new ValidationReportError(`${source} is not a CDK validation report: ${issues.join('; ')}`);
  }
  return result.data;
}

/**
 * Reads `<assemblyDir>/validation-report.json`.
 * @returns undefined when the file does not exist (no plugin registered, or synthesis failed before validation)
 * @throws ValidationReportError when it exists but is not a validation report
 */
export function readValidationReport(assemblyDir: string): ValidationReport | undefined {
  const file = join(assemblyDir, VALIDATION_REPORT_FILE);
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ValidationReportError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseValidationReport(parsed, file);
}
