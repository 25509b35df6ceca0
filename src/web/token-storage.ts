/** The sessionStorage key of the token; the API docs page (`/docs`) reads the same one. */
export const TOKEN_KEY = 'switchyard.token';

/** Reads, keeps and forgets the signed-in token for the browser session. */
export interface TokenStorage {
  read(): string | undefined;
  save(token: string): void;
  clear(): void;
}

/** A token storage over `storage` (the tab's sessionStorage: the token goes when the session ends). */
export function createTokenStorage(storage: Storage): TokenStorage {
  return {
    read: () => storage.getItem(TOKEN_KEY) ?? undefined,
    save: (token) => storage.setItem(TOKEN_KEY, token),
    clear: () => storage.removeItem(TOKEN_KEY),
  };
}
