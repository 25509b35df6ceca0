import { useId, useState } from 'preact/hooks';

/** Props of `SignInPage`. */
export interface SignInPageProps {
  /** Checks a token with the server; rejects with what to tell the user. */
  onSignIn: (token: string) => Promise<void>;
  /** Why the user is asked again (a revoked token, a sign-out), if any. */
  notice?: string | undefined;
}

/** Asks for an API token; the token's role decides what the dashboard lets its holder change. */
export function SignInPage({ onSignIn, notice }: SignInPageProps) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const id = useId();

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const trimmed = token.trim();
    if (trimmed === '') {
      setError('Paste a token: sy_<id>_<secret>.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onSignIn(trimmed);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <h1>Switchyard</h1>
      <p>Sign in with an API token. It is kept in this tab only, until the browser session ends.</p>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={onSubmit} noValidate>
        <div class="field">
          <label for={`${id}-token`}>API token</label>
          <input
            id={`${id}-token`}
            type="password"
            autocomplete="off"
            spellcheck={false}
            placeholder="sy_<id>_<secret>"
            value={token}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            onInput={(event) => setToken(event.currentTarget.value)}
          />
          {error && (
            <p id={`${id}-error`} class="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
