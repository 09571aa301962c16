/**
 * Image references, parsed without AWS: which registry an image comes from decides what the task needs to
 * pull it (lib/config/checks/deploy.ts refuses what cannot be pulled; lib/constructs/service/container-image.ts
 * grants what can).
 */
/** A private ECR image reference: `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>[:tag|@sha256:…]`. */
export interface EcrImageReference {
  readonly kind: 'ecr';
  /** The 12-digit account that owns the repository. */
  readonly account: string;
  /** The repository's region. */
  readonly region: string;
  /** The repository name, with its namespace (`team/server`). */
  readonly repositoryName: string;
  /** The tag or `sha256:<64 hex>` digest. @default 'latest' (as Docker) */
  readonly tagOrDigest: string;
}

/** An image in any other registry (public.ecr.aws, Docker Hub, GHCR, a private registry). */
export interface OtherImageReference {
  readonly kind: 'other';
  /** The registry host (`docker.io` when the reference names none, as Docker resolves it). */
  readonly registry: string;
}

/** A parsed image reference. */
export type ImageReference = EcrImageReference | OtherImageReference;

// ECR private registry host names (Amazon ECR User Guide, "Private registry concepts": the registry URL is
// <aws_account_id>.dkr.ecr.<region>.amazonaws.com; China regions end in .amazonaws.com.cn). FIPS hosts
// (dkr.ecr-fips) are ECR too.
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d)\.amazonaws\.com(?:\.cn)?$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Parses an image reference the way Docker does: the first path component is a registry host when it
 * has a `.` or `:` or is `localhost`; otherwise the image is on Docker Hub. `@sha256:…` is a digest,
 * a `:` after the last `/` a tag. Throws on a digest that is not `sha256:` and 64 hex characters.
 */
export function parseImageReference(reference: string): ImageReference {
  const slash = reference.indexOf('/');
  const first = slash < 0 ? '' : reference.slice(0, slash);
  const hasRegistry = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) return { kind: 'other', registry: 'docker.io' };
  const match = ECR_HOST.exec(first);
  if (!match) return { kind: 'other', registry: first };
  const rest = reference.slice(slash + 1);
  let repositoryName = rest;
  let tagOrDigest = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    repositoryName = rest.slice(0, at);
    tagOrDigest = rest.slice(at + 1);
    if (!DIGEST.test(tagOrDigest)) throw new Error(`image digest must be sha256: and 64 lowercase hex characters, got '${tagOrDigest}'`);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      repositoryName = rest.slice(0, colon);
      tagOrDigest = rest.slice(colon + 1);
    }
  }
  return { kind: 'ecr', account: match[1], region: match[2], repositoryName, tagOrDigest };
}
