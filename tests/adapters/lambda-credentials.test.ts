/**
 * The credential provider Lambda bundles get instead of the SDK's default chain (infra/bundling.ts
 * aliases it): it reads the role credentials Lambda puts in the environment, and says so when
 * they are missing.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultProvider } from '../../functions/adapters/lambda-credentials.ts';
import { BUNDLE_ALIASES } from '../../infra/bundling.ts';

describe('credentials in a Lambda bundle', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('are the role credentials Lambda puts in the environment', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'session');
    expect(await defaultProvider()()).toMatchObject({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session' });
  });

  it('are refused, naming the environment, when Lambda gave none', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    await expect(defaultProvider()()).rejects.toThrow(/environment variable credentials/);
  });

  it('replace the default chain through an alias the bundler can resolve', () => {
    expect(Object.keys(BUNDLE_ALIASES)).toEqual(['@aws-sdk/credential-provider-node']);
    expect(existsSync(BUNDLE_ALIASES['@aws-sdk/credential-provider-node']!)).toBe(true);
  });
});
