/**
 * Every cdk-nag acknowledgment of the kit, in one place (the only place `Validations.of(...).acknowledge`
 * is called). An acknowledgment is for a finding that is wrong for this design: it names the checklist
 * item it concerns, why the finding is safe here, an owner and a review-by date (at most a year out).
 * The test suite fails when one has expired or matches no finding, so exceptions cannot rot.
 */
import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { PerimeterConfig } from '../config';

/** One acknowledged finding on one construct. */
export interface Acknowledgment {
  /** The construct's path below the stage, e.g. `Edge/Api/CloudWatchRole`. */
  readonly path: string;
  /** The namespaced finding id, `<pack>::<rule id>[<finding>]`, so the finding stays visible in the report. */
  readonly id: string;
  /** The checklist item (see ../shared/checklist.md) this concerns. */
  readonly item: string;
  /** Why the finding is safe here; starts with the checklist item's id. */
  readonly reason: string;
  /** Who answers for it. */
  readonly owner: string;
  /** ISO date by which it must be reviewed again; after it, the test suite fails. */
  readonly reviewBy: string;
  /** Only for configs where the construct exists. @default - always */
  readonly when?: (config: PerimeterConfig) => boolean;
}

/** The team that owns the kit's acknowledgments. */
export const OWNER = 'platform-security';
/** The review date of the current set. */
export const REVIEW_BY = '2027-05-31';

/** The acknowledgments, grouped by stack. */
export const ACKNOWLEDGMENTS: readonly Acknowledgment[] = [
];

/** Raised when an acknowledgment names a construct that does not exist. */
export class AcknowledgmentError extends Error {}

function findByPath(root: IConstruct, path: string): IConstruct | undefined {
  let node: IConstruct | undefined = root;
  for (const part of path.split('/')) {
    node = node?.node.tryFindChild(part);
    if (!node) return undefined;
  }
  return node;
}

/** The acknowledgments that apply to this config. */
export function acknowledgmentsFor(config: PerimeterConfig, acks: readonly Acknowledgment[] = ACKNOWLEDGMENTS): Acknowledgment[] {
  return acks.filter((a) => a.when?.(config) ?? true);
}

/**
 * Applies the acknowledgments to a stage's constructs.
 * @throws AcknowledgmentError when a path names no construct (a typo, or a construct since renamed).
 */
export function applyAcknowledgments(stage: IConstruct, config: PerimeterConfig, acks: readonly Acknowledgment[] = ACKNOWLEDGMENTS): void {
  for (const ack of acknowledgmentsFor(config, acks)) {
    const target = findByPath(stage, ack.path);
    if (!target) throw new AcknowledgmentError(`acknowledgment ${ack.id} names no construct at ${stage.node.path}/${ack.path}`);
    Validations.of(target).acknowledge({ id: ack.id, reason: ack.reason });
  }
}
