/**
 * In a Lambda bundle, stands in for `@aws-sdk/credential-provider-node`, the SDK's default chain
 * (environment, SSO, shared ini files, processes, web identity, container and instance metadata,
 * with the STS, SSO and sign-in clients they call): about 100 KB minified in every function, of
 * which Lambda uses one link. Lambda gives a function its role's credentials in the environment
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), and this reads them there. Put in
 * place by the bundler's alias (infra/bundling.ts); `npm start` and the tests run the SDK's own chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
