import type { PerimeterConfigInput } from './schema';

/**
 * The embedded default: synthesizes with no AWS account and no file. The domain and certificates are
 * placeholders (example.com, account 111111111111); a real deployment names its own in a config file
 * (`-c config=path.json`), see README "Deploying with a real domain". The region is eu-west-1 because the
 * placeholder certificates are there and the ALB's access logging needs a concrete region at synth.
 */
export const DEFAULT_CONFIG: PerimeterConfigInput = {
  stage: 'dev',
  // The placeholder certificates live in eu-west-1, and ALB access logging needs a known region.
  env: { region: 'eu-west-1' },
  domain: {
    apiDomainName: 'mcp.example.com',
    apiCertificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-4000-8000-000000000001',
    internalDomainName: 'mcp-internal.example.com',
    internalCertificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-4000-8000-000000000002',
  },
  service: {
    image: { kind: 'directory', path: 'reference-server' },
  },
};
