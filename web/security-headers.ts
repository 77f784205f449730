/**
 * The web form's Content-Security-Policy: CloudFront sends it in AWS (infra/constructs/web.ts) and
 * the local gateway sends the same (local/system.ts), so what it refuses of the page's own doing
 * (an inline script or style, a call to an origin not named) shows in the end-to-end tests, not
 * first after a deploy. `connect` names the origins the page calls besides its own: the API,
 * presigned S3 URLs and the hosted UI's token endpoint in AWS; locally the API is the page's own
 * origin (and index.html has no second policy naming it, which publish() adds in AWS).
 */
export function webContentSecurityPolicy(connect: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    'frame-src blob:',
    ["connect-src 'self'", ...connect].join(' '),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The other headers of CloudFront's policy for the web form, as they arrive (HSTS aside: it is for HTTPS). */
export const WEB_SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
} as const;
