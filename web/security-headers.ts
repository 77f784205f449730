/**
 * The web form's Content-Security-Policy: CloudFront sends it in AWS (infra/constructs/web.ts) and
 * the local gateway sends the same (local/system.ts), so a page that breaks it (an inline script
 * or style, a call to an origin not named) fails in the end-to-end tests, not after a deploy.
 * `connect` names the origins the page calls besides its own: the API, presigned S3 URLs and the
 * hosted UI's token endpoint in AWS; locally the API is the page's own origin.
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
