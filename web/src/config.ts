/**
 * How this page reaches its API and signs people in: /config.json, written by the local gateway
 * (dev login with the demo people) or generated at deploy time in AWS (API URL, Cognito hosted UI).
 */

export interface DemoPerson {
  readonly id: string;
  readonly name: string;
  readonly nameEn?: string;
  readonly title?: string;
  readonly department?: string;
}

export type AuthConfig =
  | { readonly mode: 'dev'; readonly people: readonly DemoPerson[] }
  | {
      readonly mode: 'cognito';
      /** The hosted UI's base URL, e.g. https://bangong-prod-123.auth.ap-east-1.amazoncognito.com */
      readonly domain: string;
      readonly clientId: string;
      readonly scopes?: readonly string[];
    };

export interface Config {
  /** The API's base URL; empty when the API is on the page's own origin (locally). */
  readonly apiUrl: string;
  readonly auth: AuthConfig;
}

let loaded: Config | undefined;

export async function loadConfig(): Promise<Config> {
  // index.html preloads it while the scripts load; the file itself says no-cache (revalidated each time).
  const response = await fetch('/config.json');
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  loaded = (await response.json()) as Config;
  return loaded;
}

export function config(): Config {
  if (!loaded) throw new Error('config.json not loaded yet');
  return loaded;
}
