import { ApiRequestError } from '../api-client.js';

/** What went wrong, in words: the API's message and code, or the network error. */
export function errorText(error: unknown): string {
  if (error instanceof ApiRequestError) return `${error.message} (${error.status} ${error.code})`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** An error shown where the failed content would be, announced to screen readers. */
export function ErrorNotice({ error, prefix }: { error: unknown; prefix?: string }) {
  if (error === undefined || error === null) return null;
  return (
    <p class="notice notice-error" role="alert">
      {prefix ? `${prefix}: ` : ''}
      {errorText(error)}
    </p>
  );
}
