/**
 * Every documented option synthesizes clean (second half of the matrix of ./option-matrix.ts; see
 * option-matrix-a.test.ts).
 */
import { auditedStage } from '../fixtures/shared-synth';
import { expectClean, half, matrixCases } from './option-matrix';

test.each(half(matrixCases(), 1).map((c) => [c.name, c]))('synthesizes with all six packs clean: %s', (_name, c) => {
  expectClean(auditedStage(c.config()));
});
