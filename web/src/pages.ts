/**
 * The page addresses of the web form. Each is answered with index.html (by the local gateway, and
 * by a CloudFront function in AWS) and the page routes itself; anything else stays a 404.
 */
export const PAGE_PATH = /^\/(?:|done|mine|new|registers|dashboard|login|new\/[a-z0-9-]+|cases\/[A-Za-z0-9-]+|registers\/[A-Za-z0-9-]+)$/;
