/**
 * The option matrix of test/config/option-matrix-*.test.ts: one config per documented option value, read
 * from the config schema itself (every enum value, every boolean both ways, every literal of a union, each
 * value of an enum list alone), so a new option is in the matrix the day it is added. Some values need
 * other fields to mean anything (a JWT mode needs an issuer; `enableExec` needs its reason); COMPANIONS
 * gives them. The matrix is split in two files only so that jest's two workers share it.
 */
import type { z } from 'zod';
import { loadConfig, type PerimeterConfig } from '../../lib/config';
import { presetNames } from '../../lib/config/presets';
import { PerimeterConfigSchema } from '../../lib/config/schema';
import type { AuditedStage } from '../fixtures/shared-synth';
import { testConfig } from '../fixtures/test-app';
import { presetConfig } from '../presets/preset-harness';

/** One option value: a dotted field path, the value, and the overlay that sets it (with its companions). */
export interface OptionValue {
  readonly field: string;
  readonly value: unknown;
  readonly overlay: Record<string, unknown>;
}

type AnySchema = z.core.$ZodType;

function def(schema: AnySchema): any {
  return (schema as any)._zod.def;
}

/** The schema below default/prefault/optional/nullable wrappers. */
function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  while (['default', 'prefault', 'optional', 'nullable'].includes(def(s).type)) s = def(s).innerType;
  return s;
}

/** The finite values a leaf field documents, or undefined for a free-form field. */
function valuesOf(schema: AnySchema): unknown[] | undefined {
  const d = def(schema);
  if (d.type === 'enum') return Object.values(d.entries);
  if (d.type === 'boolean') return [true, false];
  if (d.type === 'union' && d.options.every((o: AnySchema) => def(o).type === 'literal')) return d.options.flatMap((o: AnySchema) => def(o).values);
  if (d.type === 'array' && def(unwrap(d.element)).type === 'enum') return Object.values(def(unwrap(d.element)).entries).map((v) => [v]);
  return undefined;
}

/** Every (field, values) of the schema with a finite set of values. */
export function enumeratedOptions(schema: AnySchema = PerimeterConfigSchema, path: string[] = []): Array<{ field: string; values: unknown[] }> {
  const s = unwrap(schema);
  const d = def(s);
  if (d.type === 'object') {
    return Object.entries(d.shape as Record<string, AnySchema>).flatMap(([key, child]) => enumeratedOptions(child, [...path, key]));
  }
  const values = valuesOf(s);
  return values && path.length > 0 ? [{ field: path.join('.'), values }] : [];
}

const JWT = { issuer: 'https://idp.example.com', audience: 'mcp' };
const JWKS = { mode: 'jwks', ...JWT, jwksUrl: 'https://idp.example.com/.well-known/jwks.json' };

/** The other fields a value needs to be a real choice (`<field>=<JSON value>`). */
const COMPANIONS: Record<string, Record<string, unknown>> = {
  'auth.jwt.mode="jwks"': { auth: { jwt: JWKS }, network: { egress: 'nat' } },
  'auth.jwt.mode="kms"': { auth: { jwt: { mode: 'kms', ...JWT } } },
  'auth.jwt.mode="hs256"': { auth: { jwt: { mode: 'hs256', ...JWT } } },
  'auth.jwt.algorithms=["ES256"]': { auth: { jwt: { mode: 'kms', ...JWT, algorithms: ['ES256'] } } },
  'auth.jwt.algorithms=["RS256"]': { auth: { jwt: { ...JWKS, algorithms: ['RS256'] } }, network: { egress: 'nat' } },
  'auth.jwt.algorithms=["HS256"]': { auth: { jwt: { mode: 'hs256', ...JWT, algorithms: ['HS256'] } } },
  'service.enableExec=true': { service: { enableExec: true, execReason: 'on-call engineers debug stuck MCP sessions (ticket OPS-1234)' } },
  'service.sessions="stateful"': { service: { sessions: 'stateful', desiredCount: 1, maxCount: 1 } },
  'service.cpu=512': { service: { cpu: 512, memoryMiB: 1024 } },
  'service.cpu=1024': { service: { cpu: 1024, memoryMiB: 2048 } },
  'service.cpu=2048': { service: { cpu: 2048, memoryMiB: 4096 } },
  'service.cpu=4096': { service: { cpu: 4096, memoryMiB: 8192 } },
};

/** `{ a: { b: value } }` for `a.b`. */
function overlayAt(field: string, value: unknown): Record<string, unknown> {
  let overlay: unknown = value;
  for (const key of field.split('.').reverse()) overlay = { [key]: overlay };
  return overlay as Record<string, unknown>;
}

/** Every option value of the schema, with its overlay. */
export function optionValues(): OptionValue[] {
  return enumeratedOptions().flatMap(({ field, values }) => values.map((value) => ({
    field,
    value,
    overlay: COMPANIONS[`${field}=${JSON.stringify(value)}`] ?? overlayAt(field, value),
  })));
}

/** One synthesizing case: a name and its config. */
export interface MatrixCase {
  readonly name: string;
  readonly config: () => PerimeterConfig;
}

/** Every synthesizing case: the embedded default, each preset, each option value over the test default. */
export function matrixCases(): MatrixCase[] {
  return [
    { name: 'the embedded default', config: () => loadConfig() },
    ...presetNames().map((name) => ({ name: `preset ${name}`, config: () => presetConfig(name) })),
    ...optionValues().map((o) => ({ name: `${o.field} = ${JSON.stringify(o.value)}`, config: () => testConfig(o.overlay) })),
  ];
}

/** Half of the matrix (0 or 1), alternating, so both halves hold the same kinds of case. */
export function half<T>(all: readonly T[], which: 0 | 1): T[] {
  return all.filter((_, i) => i % 2 === which);
}

/** The synthesis of a case with all six packs: it must fail nothing and leave no finding open. */
export function expectClean(stage: AuditedStage): void {
  expect(stage.error).toBeUndefined();
  expect(stage.open).toEqual([]);
  expect(stage.packs).toHaveLength(6);
}
