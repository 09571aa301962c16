import type { PerimeterConfigInput } from './schema';

/**
 * The embedded default: synthesizes with no AWS account and no file. The domain and certificates are
 * placeholders (example.com, account 111111111111); a real deployment names its own in a config file
 * (`-c config=path.json`), see README "Deploying with a real domain".
 */
export const DEFAULT_CONFIG: PerimeterConfigInput = {
  stage: 'dev',
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
