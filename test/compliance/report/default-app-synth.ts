/**
 * The default app, built as bin/app.ts builds it (loadConfig(), PerimeterStage, applyAcknowledgments,
 * the compliance packs), synthesized with the auditor report into a temp dir. Asset bundling is skipped.
 */
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { type Acknowledgment, applyAcknowledgments, acknowledgmentsFor } from '../../../lib/compliance/acknowledgments';
import { AuditedSynthesisError, AuditReport, AuditReportFiles, readValidationReport, synthesizeWithAudit, ValidationReport } from '../../../lib/compliance/report';
import { loadConfig, PerimeterConfig } from '../../../lib/config';
import { PerimeterStage } from '../../../lib/stage';
import { appContext, withCloudFormationValidation } from '../../fixtures/test-app';
import { tempDir } from './fixture-app';

/** The repository root. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** What a default synthesis produced. */
export interface DefaultSynthesis {
  readonly config: PerimeterConfig;
  readonly outdir: string;
  readonly report: AuditReport;
  readonly files: AuditReportFiles;
  readonly validationReport: ValidationReport | undefined;
  /** The synthesis error, if it failed. */
  readonly error?: Error;
}

/** How to synthesize. */
export interface DefaultSynthesisOptions {
  /**
   * Run aws-cdk-lib's built-in CloudFormation validation too, as `npm run synth` does (~4 s of CPU more;
   * the suite turns it off elsewhere, test/setup/cdk-validation.js). @default false
   */
  readonly cloudFormationValidation?: boolean;
  /**
   * Keeps only the kit's acknowledgments this returns true for (a test that needs a finding left open,
   * e.g. ECS Exec's, drops the one that answers it). @default - every acknowledgment of the config
   */
  readonly keepAcknowledgment?: (ack: Acknowledgment) => boolean;
}

/** Synthesizes the app of `config` (default: the embedded default config). */
export function synthesizeDefaultApp(config: PerimeterConfig = loadConfig(), options: DefaultSynthesisOptions = {}): DefaultSynthesis {
  const acks = acknowledgmentsFor(config).filter(options.keepAcknowledgment ?? (() => true));
  return options.cloudFormationValidation ? withCloudFormationValidation(() => synthesize(config, acks)) : synthesize(config, acks);
}

function synthesize(config: PerimeterConfig, acks: readonly Acknowledgment[]): DefaultSynthesis {
  const outdir = tempDir('default-app-');
  const app = new App({ outdir, context: appContext({ 'aws:cdk:bundling-stacks': [] }) });
  const stage = new PerimeterStage(app, config.stage, { config, env: { account: config.env.account, region: config.env.region } });
  applyAcknowledgments(stage, config, acks);
  try {
    const { report, files } = synthesizeWithAudit(app, { config, repoRoot: REPO_ROOT, acknowledgments: acks });
    return { config, outdir, report, files, validationReport: readValidationReport(outdir) };
  } catch (e) {
    if (!(e instanceof AuditedSynthesisError)) throw e;
    return { config, outdir, report: e.report, files: e.files, validationReport: readValidationReport(outdir), error: e };
  }
}
