/**
 * A bucket's CORS rules as data: rendered to the XML s3rver is configured with, and matched by the
 * gate for the answers it gives itself (a refused request), so that a browser on another origin
 * reads S3's error instead of an opaque network failure, as it does with S3.
 */
export interface CorsRule {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly ('GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD')[];
  readonly allowedHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds?: number;
}

export function corsConfigurationXml(rules: readonly CorsRule[]): string {
  const element = (name: string, values: readonly (string | number)[]) => values.map((v) => `<${name}>${v}</${name}>`).join('');
  return `<CORSConfiguration>${rules
    .map(
      (rule) =>
        `<CORSRule>${element('AllowedOrigin', rule.allowedOrigins)}${element('AllowedMethod', rule.allowedMethods)}` +
        `${element('AllowedHeader', rule.allowedHeaders)}${element('ExposeHeader', rule.exposeHeaders)}` +
        `${element('MaxAgeSeconds', rule.maxAgeSeconds === undefined ? [] : [rule.maxAgeSeconds])}</CORSRule>`,
    )
    .join('')}</CORSConfiguration>`;
}

/** The headers S3 adds to an actual (not preflight) cross-origin request that a rule allows; none otherwise. */
export function corsResponseHeaders(rules: readonly CorsRule[], origin: string | undefined, method: string): Record<string, string> {
  if (!origin) return {};
  const rule = rules.find((r) => r.allowedOrigins.some((pattern) => wildcard(pattern).test(origin)) && r.allowedMethods.includes(method as never));
  if (!rule) return {};
  const anyOrigin = rule.allowedOrigins.includes('*');
  return {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
    ...(rule.exposeHeaders.length ? { 'access-control-expose-headers': rule.exposeHeaders.join(', ') } : {}),
    ...(rule.maxAgeSeconds === undefined ? {} : { 'access-control-max-age': String(rule.maxAgeSeconds) }),
    ...(anyOrigin ? {} : { 'access-control-allow-credentials': 'true' }),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
}

/** An AllowedOrigin with at most one `*`, as S3 accepts it. */
function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}
