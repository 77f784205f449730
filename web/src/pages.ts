/**
 * The page addresses of the web form. Each is answered with index.html (by the local gateway, and
 * by a CloudFront function in AWS) and the page routes itself, saying "页面不存在" for an address
 * it has no page for. A page address is any path that is not a file (no extension in its last
 * part) and not the API's or the runtime's own (/api/, /auth/, /local/, /health): those stay 404s.
 */
export const PAGE_PATH = /^\/(?!(?:api|auth|local|health)(?:\/|$))(?:[^/.]+\/)*[^/.]*$/;
